using Npgsql;

namespace Solvent.Indexer.Tests;

/// <summary>A fresh database in the throwaway cluster tests/pg.sh starts (SOLVENT_PG), dropped on dispose.</summary>
public sealed class PgDatabase : IDisposable
{
    private readonly string _admin;
    private readonly string _name = "idx_" + Guid.NewGuid().ToString("N")[..16];

    public PgDatabase()
    {
        string? pg = Environment.GetEnvironmentVariable("SOLVENT_PG");
        Assert.False(string.IsNullOrWhiteSpace(pg), "PostgreSQL was not started: SOLVENT_PG is not set (source tests/pg.sh and run pg_start, as test.sh does)");
        _admin = pg!;
        using var c = new NpgsqlConnection(_admin);
        c.Open();
        using var cmd = new NpgsqlCommand($"CREATE DATABASE {_name}", c);
        cmd.ExecuteNonQuery();
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _name, Pooling = false }.ConnectionString;
    }

    public string ConnectionString { get; }

    public NpgsqlConnection Open()
    {
        var c = new NpgsqlConnection(ConnectionString);
        c.Open();
        return c;
    }

    public T Scalar<T>(string sql)
    {
        using NpgsqlConnection c = Open();
        using var cmd = new NpgsqlCommand(sql, c);
        return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Row count and a digest of every row of every table, to compare two indexes of one chain.</summary>
    public Dictionary<string, string> Digest()
    {
        var d = new Dictionary<string, string>();
        using NpgsqlConnection c = Open();
        foreach (string t in Table.All.Select(t => t.Name).Append("candles").Append("indexer_state"))
        {
            using var cmd = new NpgsqlCommand($"SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM {t} x", c);
            d[t] = (string)cmd.ExecuteScalar()!;
        }

        return d;
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var c = new NpgsqlConnection(_admin);
        c.Open();
        using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", c);
        cmd.ExecuteNonQuery();
    }
}
