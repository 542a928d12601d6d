using Microsoft.Extensions.Options;

namespace Alice.Dispatch;

internal static class ValidatedOptions
{
    /// <summary>
    /// Binds one configuration section to its options class and checks it with its validator when the
    /// service starts, so a missing secret stops the start with a message instead of failing a call.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services;
    }
}
