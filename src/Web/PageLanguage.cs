using Microsoft.AspNetCore.Http;

namespace Alice.Web;

/// <summary>
/// The language of the staff pages (fr, nl, en): the one chosen with <c>?lang=</c> (kept in a cookie),
/// else the browser's first of the three, else French.
/// </summary>
public static class PageLanguage
{
    public static readonly IReadOnlyList<string> All = ["fr", "nl", "en"];
    private const string Cookie = "alice.lang";

    public static string Of(HttpContext http)
    {
        if (http.Request.Query["lang"].ToString() is { } chosen && All.Contains(chosen))
        {
            http.Response.Cookies.Append(Cookie, chosen, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, MaxAge = TimeSpan.FromDays(365),
            });
            return chosen;
        }
        if (http.Request.Cookies[Cookie] is { } kept && All.Contains(kept)) return kept;
        var accepted = http.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => l is not null && All.Contains(l));
        return accepted ?? "fr";
    }
}

/// <summary>
/// A text in its three languages: the one localisation scheme of Alice, for the staff pages and the hotline's
/// voice prompts alike. Each text is written once with all three, so the compiler refuses one missing a language.
/// </summary>
public sealed record Text(string Fr, string Nl, string En)
{
    public string In(string language) => language switch { "nl" => Nl, "en" => En, _ => Fr };
}
