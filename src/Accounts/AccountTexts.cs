using Alice.Web;

namespace Alice.Accounts;

/// <summary>The account pages' words, in French, Dutch and English.</summary>
internal static class AccountTexts
{
    public static readonly Text LogIn = new("Connexion", "Aanmelden", "Log in");
    public static readonly Text Name = new("Identifiant", "Gebruikersnaam", "User name");
    public static readonly Text Password = new("Mot de passe", "Wachtwoord", "Password");
    public static readonly Text Continue = new("Continuer", "Verder", "Continue");
    /// <summary>The one answer to a refused password step, whatever the reason: it tells nobody which names exist.</summary>
    public static readonly Text Wrong = new(
        "Identifiant ou mot de passe incorrect, ou trop d'essais depuis cet endroit : vérifiez, ou réessayez dans quelques minutes.",
        "Gebruikersnaam of wachtwoord onjuist, of te veel pogingen van hieruit: controleer, of probeer het over enkele minuten opnieuw.",
        "Wrong user name or password, or too many attempts from here: check, or try again in a few minutes.");
    public static readonly Text LockedOut = new(
        "Trop d'essais : ce compte est bloqué pendant 15 minutes. Un opérateur peut aider.",
        "Te veel pogingen: deze account is 15 minuten geblokkeerd. Een operator kan helpen.",
        "Too many attempts: this account is locked for 15 minutes. An operator can help.");
    public static readonly Text SecondFactor = new("Code de l'application", "Code uit de app", "Code from the app");
    public static readonly Text SecondFactorHelp = new(
        "Le code à 6 chiffres de votre application d'authentification, ou un code de secours.",
        "De code van 6 cijfers uit uw authenticator-app, of een herstelcode.",
        "The 6-digit code from your authenticator app, or a recovery code.");
    public static readonly Text WrongCode = new("Ce code n'est pas valable.", "Deze code is niet geldig.", "That code is not valid.");
    public static readonly Text Expired = new(
        "La connexion a expiré. Recommencez.", "De aanmelding is verlopen. Begin opnieuw.", "The login has expired. Please start again.");
    public static readonly Text LogOut = new("Se déconnecter", "Afmelden", "Log out");
    public static readonly Text LoggedInAs = new("Connecté·e comme", "Aangemeld als", "Logged in as");
    public static readonly Text Denied = new(
        "Ce compte n'a pas accès à cette page.", "Deze account heeft geen toegang tot deze pagina.", "This account has no access to this page.");
    public static readonly Text Enrol = new("Activer votre compte", "Uw account activeren", "Set up your account");
    public static readonly Text EnrolIntro = new(
        "Choisissez un mot de passe d'au moins 12 caractères, puis scannez ce code avec une application d'authentification (par exemple FreeOTP, Google ou Microsoft Authenticator) et entrez le code qu'elle affiche.",
        "Kies een wachtwoord van minstens 12 tekens, scan dan deze code met een authenticator-app (bijvoorbeeld FreeOTP, Google of Microsoft Authenticator) en vul de code in die ze toont.",
        "Choose a password of at least 12 characters, then scan this code with an authenticator app (for example FreeOTP, Google or Microsoft Authenticator) and enter the code it shows.");
    public static readonly Text SecretKept = new(
        "La clé n'est affichée qu'une fois : l'application garde celle que vous avez ajoutée, entrez son code actuel.",
        "De sleutel wordt maar één keer getoond: de app houdt de sleutel die u toevoegde, vul de huidige code in.",
        "The key is shown once: the app keeps the one you added; enter its current code.");
    public static readonly Text SecretAgain = new(
        "Recommencer avec une nouvelle clé", "Opnieuw beginnen met een nieuwe sleutel", "Start again with a new key");
    public static readonly Text SecretText = new("Ou entrez cette clé à la main :", "Of typ deze sleutel over:", "Or type this key by hand:");
    public static readonly Text LinkInvalid = new(
        "Ce lien d'activation n'est plus valable. Demandez-en un nouveau à un opérateur.",
        "Deze activeringslink is niet meer geldig. Vraag een nieuwe aan een operator.",
        "This enrolment link is not valid any more. Ask an operator for a new one.");
    public static readonly Text RecoveryTitle = new("Vos codes de secours", "Uw herstelcodes", "Your recovery codes");
    public static readonly Text RecoveryIntro = new(
        "Votre compte est actif. Gardez ces codes en lieu sûr : chacun remplace une fois le code de l'application si vous perdez votre téléphone. Ils ne seront plus affichés.",
        "Uw account is actief. Bewaar deze codes veilig: elk vervangt één keer de code uit de app als u uw telefoon verliest. Ze worden niet meer getoond.",
        "Your account is active. Keep these codes somewhere safe: each replaces the app's code once if you lose your phone. They will not be shown again.");
    public static readonly Text Audit = new("Journal d'audit", "Auditlogboek", "Audit log");
    public static readonly Text When = new("Quand", "Wanneer", "When");
    public static readonly Text Who = new("Qui", "Wie", "Who");
    public static readonly Text What = new("Quoi", "Wat", "What");
    public static readonly Text Subject = new("Concerne", "Betreft", "Subject");
    public static readonly Text Home = new("Accueil", "Startpagina", "Home");
}
