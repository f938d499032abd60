namespace Solvent.Node.Api;

/// <summary>Reads a request body into memory, refusing more than a limit whatever Content-Length claims.</summary>
public static class BodyReader
{
    /// <summary>The body, or null when it exceeds <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        byte[] buffer = new byte[Math.Min(limit + 1, (int)(request.ContentLength ?? 4096) + 1)];
        int used = 0;
        while (true)
        {
            if (used == buffer.Length)
            {
                if (buffer.Length > limit)
                {
                    return null;
                }

                Array.Resize(ref buffer, Math.Min(limit + 1, buffer.Length * 2));
            }

            int n = await request.Body.ReadAsync(buffer.AsMemory(used), ct).ConfigureAwait(false);
            if (n == 0)
            {
                return buffer.AsSpan(0, used).ToArray();
            }

            used += n;
        }
    }
}
