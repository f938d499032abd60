using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Solvent.Sim.Scenarios;
using JsonArray = System.Text.Json.Nodes.JsonArray;
using JsonNode = System.Text.Json.Nodes.JsonNode;
using JsonObject = System.Text.Json.Nodes.JsonObject;
using JsonValue = System.Text.Json.Nodes.JsonValue;

namespace Solvent.Sim.Distributed;

/// <summary>
/// A scenario and every file it names (genesis files, candle files, snapshot files) in one content-addressed
/// blob, so a worker on another machine runs exactly the coordinator's inputs. File references in the
/// scenario are rewritten to the bundle's own flat names (<c>f0-genesis.json</c>); a worker writes the files
/// into a private folder and loads the scenario from there.
/// </summary>
internal sealed partial class ScenarioBundle
{
    private const string Magic = "solvent-scenario-bundle/1";
    private const long MaxBytes = 512L * 1024 * 1024;

    private ScenarioBundle(string scenarioJson, IReadOnlyList<(string Name, byte[] Bytes)> files, byte[] bytes)
    {
        ScenarioJson = scenarioJson;
        Files = files;
        Bytes = bytes;
        Hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>The scenario text with file references rewritten to <see cref="Files"/> names.</summary>
    public string ScenarioJson { get; }

    /// <summary>The named files, in the order the scenario names them.</summary>
    public IReadOnlyList<(string Name, byte[] Bytes)> Files { get; }

    /// <summary>The serialized bundle.</summary>
    public byte[] Bytes { get; }

    /// <summary>SHA-256 of <see cref="Bytes"/>, lower-case hex: the bundle's key in the object store.</summary>
    public string Hash { get; }

    /// <summary>Bundles the scenario file at <paramref name="path"/>; a problem is a <see cref="ScenarioException"/>.</summary>
    public static ScenarioBundle FromFile(string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ScenarioException("$", "not valid JSON: " + e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException("$", $"scenario file {path} cannot be read: {e.Message}");
        }

        var files = new List<(string Name, byte[] Bytes)>();
        var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
        long total = 0;
        void Rewrite(JsonObject? owner, string key, string where)
        {
            if (owner?[key] is not JsonValue v || !v.TryGetValue(out string? rel))
            {
                return;
            }

            string full = Path.GetFullPath(Path.Combine(dir, rel));
            if (!byPath.TryGetValue(full, out string? name))
            {
                if (Directory.Exists(full))
                {
                    throw new ScenarioException(where, $"{rel} is a directory; a distributed run ships files, so name the snapshot-HEIGHT.snap file itself");
                }

                byte[] bytes;
                try
                {
                    bytes = File.ReadAllBytes(full);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ScenarioException(where, $"{rel} cannot be read: {e.Message}");
                }

                total += bytes.Length;
                if (total > MaxBytes)
                {
                    throw new ScenarioException(where, $"the scenario's files exceed {MaxBytes / (1024 * 1024)} MB, the limit of a distributed run");
                }

                name = $"f{files.Count}-{Unsafe().Replace(Path.GetFileName(full), "_")}";
                files.Add((name, bytes));
                byPath[full] = name;
            }

            owner[key] = name;
        }

        if (root?["venues"] is JsonArray venues)
        {
            for (int i = 0; i < venues.Count; i++)
            {
                Rewrite(venues[i] as JsonObject, "genesis", $"$.venues[{i}].genesis");
                Rewrite(venues[i]?["population"] as JsonObject, "snapshot", $"$.venues[{i}].population.snapshot");
            }
        }

        if (root?["prices"]?["assets"] is JsonArray assets)
        {
            for (int i = 0; i < assets.Count; i++)
            {
                Rewrite(assets[i] as JsonObject, "file", $"$.prices.assets[{i}].file");
            }
        }

        string json = root?.ToJsonString() ?? "null";
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(json);
            w.Write(files.Count);
            foreach ((string name, byte[] bytes) in files)
            {
                w.Write(name);
                w.Write(bytes.Length);
                w.Write(bytes);
            }
        }

        return new ScenarioBundle(json, files, ms.ToArray());
    }

    /// <summary>Reads a serialized bundle; a malformed one is an <see cref="InvalidDataException"/>.</summary>
    public static ScenarioBundle Read(byte[] bytes)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            if (r.ReadString() != Magic)
            {
                throw new InvalidDataException("not a scenario bundle");
            }

            string json = r.ReadString();
            int n = r.ReadInt32();
            if (n is < 0 or > 10_000)
            {
                throw new InvalidDataException($"scenario bundle lists {n} files");
            }

            var files = new List<(string, byte[])>(n);
            for (int i = 0; i < n; i++)
            {
                string name = r.ReadString();
                if (!SafeName().IsMatch(name))
                {
                    throw new InvalidDataException($"scenario bundle file name {name} is not a plain file name");
                }

                int len = r.ReadInt32();
                byte[] data = len >= 0 && len <= bytes.Length ? r.ReadBytes(len) : throw new InvalidDataException($"scenario bundle file {name} claims {len} bytes");
                files.Add((name, data.Length == len ? data : throw new InvalidDataException($"scenario bundle file {name} is truncated")));
            }

            return new ScenarioBundle(json, files, bytes);
        }
        catch (Exception e) when (e is EndOfStreamException or DecoderFallbackException or IOException)
        {
            throw new InvalidDataException("truncated or malformed scenario bundle: " + e.Message, e);
        }
    }

    /// <summary>Writes the files into <paramref name="dir"/> and loads the scenario from there.</summary>
    public Scenario Load(string dir)
    {
        Directory.CreateDirectory(dir);
        foreach ((string name, byte[] bytes) in Files)
        {
            File.WriteAllBytes(Path.Combine(dir, name), bytes);
        }

        return ScenarioLoader.Parse(ScenarioJson, dir);
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex Unsafe();

    [GeneratedRegex("^f[0-9]{1,5}-[A-Za-z0-9._-]{0,200}$")]
    private static partial Regex SafeName();
}
