using Microsoft.Extensions.Options;

namespace Alice.Admin;

/// <summary>The <c>Admin</c> settings.</summary>
internal sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The panel's address as organisers reach it: enrolment links are made with it, never from a request's Host header.</summary>
    public string PublicBaseUrl { get; set; } = "";

    internal sealed class Validator(IHostEnvironment environment) : IValidateOptions<AdminOptions>
    {
        public ValidateOptionsResult Validate(string? name, AdminOptions o)
        {
            if (!Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
                return ValidateOptionsResult.Fail("Admin:PublicBaseUrl is required: the panel's address, e.g. https://stats.alice.example.");
            if (url.Scheme != "https" && !environment.IsDevelopment())
                return ValidateOptionsResult.Fail("Admin:PublicBaseUrl must be https outside Development: logins travel over it.");
            return ValidateOptionsResult.Success;
        }
    }
}
