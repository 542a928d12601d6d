using System.Data.Common;
using Alice.Web;
using Microsoft.AspNetCore.Diagnostics;

namespace Alice.Admin.Storage;

/// <summary>
/// The panel's own store (its accounts and key ring) out of reach while a page needed it: locked by another
/// process, its database restarting, its server not up yet. The reader gets a page in their language saying
/// so, answered 503 with a time to try again; not the problem details JSON a 500 would be.
/// </summary>
internal sealed class StoreUnavailable(ILogger<StoreUnavailable> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (!FromTheStore(exception)) return false;
        // The exception's type only: its message may name the database and its host.
        logger.LogWarning("The panel's store could not be reached ({Error}); answered 503", exception.GetType().Name);
        http.Response.Headers.RetryAfter = "30";
        await new StoreUnavailableModel(PageLanguage.Of(http)).Show(503).ExecuteAsync(http);
        return true;
    }

    /// <summary>A database's own failure (or its timeout), however deep the framework wrapped it (Data Protection wraps the key ring's).</summary>
    private static bool FromTheStore(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is DbException or TimeoutException) return true;
        return false;
    }
}

/// <summary>The store cannot be reached: answered 503.</summary>
public sealed record StoreUnavailableModel(string Language) : IPageModel<StoreUnavailablePage>;

/// <summary>The words of that page, in French, Dutch and English.</summary>
internal static class StoreTexts
{
    public static readonly Text Title = new("Panneau momentanément indisponible", "Paneel tijdelijk niet beschikbaar", "Panel unavailable for a moment");
    public static readonly Text Unavailable = new(
        "Le panneau ne peut pas atteindre ses données pour l'instant : sa base de données démarre ou est occupée. Réessayez dans un moment.",
        "Het paneel kan zijn gegevens nu niet bereiken: zijn database start op of is bezet. Probeer het zo meteen opnieuw.",
        "The panel cannot reach its data just now: its database is starting or busy. Try again in a moment.");
    public static readonly Text TryAgain = new("Réessayer", "Opnieuw proberen", "Try again");
}
