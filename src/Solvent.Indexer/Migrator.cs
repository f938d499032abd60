using System.Reflection;
using Npgsql;

namespace Solvent.Indexer;

/// <summary>Applies the embedded SQL migrations in order, each once, each in its own transaction.</summary>
public static class Migrator
{
    /// <summary>Brings the database at <paramref name="conn"/> to the newest schema; returns how many migrations ran.</summary>
    public static int Migrate(NpgsqlConnection conn)
    {
        using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", conn))
        {
            create.ExecuteNonQuery();
        }

        Assembly asm = typeof(Migrator).Assembly;
        int ran = 0;
        foreach (string name in asm.GetManifestResourceNames().Where(n => n.StartsWith("Migrations/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string version = Path.GetFileNameWithoutExtension(name);
            using NpgsqlTransaction tx = conn.BeginTransaction();

            // Two indexers starting at once: the advisory lock makes the second wait, then see the version applied.
            using (var lk = new NpgsqlCommand("SELECT pg_advisory_xact_lock(7243001)", conn, tx))
            {
                lk.ExecuteNonQuery();
            }

            using (var check = new NpgsqlCommand("SELECT 1 FROM schema_migrations WHERE version = $1", conn, tx))
            {
                check.Parameters.AddWithValue(version);
                if (check.ExecuteScalar() is not null)
                {
                    tx.Rollback();
                    continue;
                }
            }

            using Stream s = asm.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(s);
            using (var apply = new NpgsqlCommand(reader.ReadToEnd(), conn, tx))
            {
                apply.ExecuteNonQuery();
            }

            using (var mark = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES ($1)", conn, tx))
            {
                mark.Parameters.AddWithValue(version);
                mark.ExecuteNonQuery();
            }

            tx.Commit();
            ran++;
        }

        return ran;
    }
}
