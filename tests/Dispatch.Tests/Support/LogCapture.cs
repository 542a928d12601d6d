using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Alice.Dispatch.Tests.Support;

/// <summary>Keeps every log entry the service writes, at every level, with its state, scopes and exception text.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Entries => _entries;

    /// <summary>Everything logged, as one text to search.</summary>
    public string AllText => string.Join('\n', _entries);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
    public void Dispose() { }

    private sealed class Logger(string category, LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var parts = new List<string> { $"{logLevel} {category}: {formatter(state, exception)}" };
            if (state is IEnumerable<KeyValuePair<string, object?>> values) parts.AddRange(values.Select(v => $"{v.Key}={v.Value}"));
            capture._scopes.ForEachScope((scope, list) => list.Add($"scope={scope}"), parts);
            if (exception is not null) parts.Add(exception.ToString());
            capture._entries.Enqueue(string.Join(" | ", parts));
        }
    }
}
