using Alice.Web;

namespace Alice.Admin.Operators;

internal static class OperatorTexts
{
    public static readonly Text Title = new("Comptes", "Accounts", "Accounts");
    public static readonly Text Invite = new("Inviter", "Uitnodigen", "Invite");
    public static readonly Text Name = new("Nom de connexion", "Inlognaam", "Login name");
    public static readonly Text Role = new("Rôle", "Rol", "Role");
    public static readonly Text State = new("État", "Status", "State");
    public static readonly Text Actions = new("Opérations", "Acties", "Actions");
    public static readonly Text Disable = new("Désactiver", "Uitschakelen", "Disable");
    public static readonly Text Reset = new("Nouveau second facteur", "Nieuwe tweede factor", "Reset second factor");
    public static readonly Text Disabled = new("désactivé", "uitgeschakeld", "disabled");
    public static readonly Text EnrolledText = new("actif", "actief", "active");
    public static readonly Text Invited = new("invité", "uitgenodigd", "invited");
    public static readonly Text LinkIntro = new("Donnez ce lien une seule fois, par un moyen sûr ; il sert une fois et expire le",
        "Geef deze link één keer, op een veilige manier; hij werkt één keer en vervalt op", "Give this link once, by a safe means; it works once and expires on");
    public static readonly Text Done = new("C'est fait.", "Gedaan.", "Done.");
    public static readonly Text OrganisersOnly = new(
        "Ici, un opérateur gère les comptes des organisateurs seulement : un autre opérateur se gère sur le serveur du panneau, un compte du centre sur celui du service.",
        "Hier beheert een operator alleen de accounts van organisatoren: een andere operator wordt op de server van het paneel beheerd, een account van het centrum op die van de dienst.",
        "Here an operator manages organisers' accounts only: another operator is managed on the panel's server, a centre account on the service's.");
    public static readonly Text Totals = new("Chiffres", "Cijfers", "Figures");
}
