using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Messages;

/// <summary>The car messages' settings (<c>Messages</c> section).</summary>
internal sealed class MessagesOptions
{
    public const string Section = "Messages";

    /// <summary>How often consents are looked at: a confirmed ride is texted, and an expired number erased, within this.</summary>
    public int SendEverySeconds { get; set; } = 5;

    public TimeSpan SendEvery => TimeSpan.FromSeconds(SendEverySeconds);

    internal sealed class Validator : IValidateOptions<MessagesOptions>
    {
        public ValidateOptionsResult Validate(string? name, MessagesOptions o) =>
            o.SendEverySeconds is < 1 or > 60
                ? ValidateOptionsResult.Fail("Messages:SendEverySeconds must be between 1 and 60 (a confirmed caller is texted within it).")
                : ValidateOptionsResult.Success;
    }
}
