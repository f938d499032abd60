using System.Text.Json;

namespace Solvent.Node.Replication;

/// <summary>JSON settings of messages on the replication streams (camelCase).</summary>
internal static class ReplicationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
