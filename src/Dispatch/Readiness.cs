namespace Alice.Dispatch;

/// <summary>/readyz: the checks that must pass before an instance is sent calls (nginx stops sending to one that fails).</summary>
internal static class Readiness
{
    public const string Tag = "ready";
}
