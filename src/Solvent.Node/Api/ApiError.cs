namespace Solvent.Node.Api;

/// <summary>The body of every error: <c>{"error":{"code","message"}}</c>.</summary>
public sealed record ApiError(ApiErrorBody Error)
{
    /// <summary>An error result with status <paramref name="status"/>.</summary>
    public static IResult Result(int status, string code, string message) =>
        Results.Json(new ApiError(new ApiErrorBody(code, message)), NodeJson.Options, statusCode: status);
}

/// <summary>Stable SCREAMING_SNAKE code and a human message.</summary>
public sealed record ApiErrorBody(string Code, string Message);
