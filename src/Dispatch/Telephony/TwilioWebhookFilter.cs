using System.Collections.Specialized;
using System.Text;
using Alice.Dispatch.Twilio;
using Alice.Signatures;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Twilio.Security;

namespace Alice.Dispatch.Telephony;

/// <summary>
/// Guards every /twilio endpoint: the body must be a small form and X-Twilio-Signature must match it
/// and the public URL. Anything else is refused with a 4xx before the menu or the database is touched.
/// </summary>
internal sealed class TwilioWebhookFilter(IOptions<TwilioOptions> options, RefusalLog refusals) : IEndpointFilter
{
    /// <summary>What the refusal log says was refused: the kind of endpoint, nothing from the request.</summary>
    private const string Endpoints = "/twilio/*";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var o = options.Value;
        var signature = http.Request.Headers[TwilioWebhookSigner.Header].ToString();
        if (signature.Length == 0)
        {
            refusals.Refused(Endpoints);
            return Refuse(http, StatusCodes.Status403Forbidden, "Missing X-Twilio-Signature.");
        }
        if (http.Request.ContentLength > o.MaxBodyBytes) return TooLarge(http, o);
        if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return Refuse(http, StatusCodes.Status415UnsupportedMediaType, "Twilio webhooks are application/x-www-form-urlencoded.");

        var bytes = await RequestBody.ReadAtMostAsync(http.Request.Body, o.MaxBodyBytes, http.RequestAborted);
        if (bytes is null) return TooLarge(http, o);
        var body = Encoding.UTF8.GetString(bytes);
        var form = ReadForm(body, o.MaxBodyBytes);
        if (form is null) return Refuse(http, StatusCodes.Status400BadRequest, "The form could not be read.");

        var parameters = form.SelectMany(kv => kv.Value.Select(v => KeyValuePair.Create(kv.Key, v ?? "")));
        var url = o.BaseUrl + RequestTarget.Raw(http);
        if (!o.WebhookTokens().Any(token => IsSigned(token, url, parameters, signature)))
        {
            refusals.Refused(Endpoints);
            return Refuse(http, StatusCodes.Status403Forbidden, "X-Twilio-Signature does not match this request.");
        }

        // The query copied: a step its answer did not wait for (AnswerInTime) must not read a request that is over.
        var query = new QueryCollection(http.Request.Query.ToDictionary(q => q.Key, q => q.Value));
        http.Items[typeof(TwilioCall)] = new TwilioCall(new FormCollection(form), query);
        return await next(context);
    }

    /// <summary>
    /// Twilio's own check (RequestValidator): the URL as given, then with its port removed or its scheme's
    /// default port added. A repeated name is read as Twilio's library reads a form, its values joined by
    /// commas. A target the URL parser refuses was signed by nobody.
    /// </summary>
    internal static bool IsSigned(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return false;
        // Names compared as the default collection does (case-insensitive) but ordinally: its culture-aware
        // comparison hashed every name through ICU, a third of what checking a signature cost.
        var form = new NameValueCollection(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in parameters) form.Add(name, value);
        try
        {
            return new RequestValidator(authToken).Validate(url, form, signature);
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The form's fields, or null when it cannot be read. The reader is disposed at once: it rents a 16 KB
    /// buffer from the shared pool and gives it back only then (undisposed, every webhook allocated one). Read
    /// synchronously: the body is already a string in memory, with nothing to wait for.
    /// </summary>
    private static Dictionary<string, StringValues>? ReadForm(string body, int maxBodyBytes)
    {
        using var reader = new FormReader(body) { ValueCountLimit = 256, KeyLengthLimit = 256, ValueLengthLimit = maxBodyBytes };
        try
        {
            return reader.ReadForm();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static IResult TooLarge(HttpContext http, TwilioOptions o) =>
        Refuse(http, StatusCodes.Status413PayloadTooLarge, $"Webhook bodies are limited to {o.MaxBodyBytes} bytes.");

    private static IResult Refuse(HttpContext http, int status, string message) =>
        Results.Problem(statusCode: status, title: message, instance: http.Request.Path);
}
