using Microsoft.AspNetCore.Http;

namespace Estafeta.Web.Pages;

/// <summary>The words of the hosted pages in Spanish and English, chosen by the browser's Accept-Language (or ?lang=).</summary>
internal sealed record PageTexts(
    string Lang,
    string Subscribe,
    string Email,
    string Name,
    string Language,
    string Agree,
    string Send,
    string CheckInbox,
    string CheckInboxBody,
    string Subscribed,
    string SubscribedBody,
    string Thanks,
    string ThanksBody,
    string TooFast,
    string TooMany,
    string NeedConsent,
    string ConfirmTitle,
    string ConfirmButton,
    string Confirmed,
    string ConfirmedBody,
    string BadLink,
    string BadLinkBody,
    string UnsubscribeTitle,
    string UnsubscribeQuestion,
    string UnsubscribeButton,
    string Unsubscribed,
    string UnsubscribedBody,
    string ManagePreferences,
    string PreferencesTitle,
    string PreferencesLists,
    string Pause,
    string PauseNone,
    string Pause30,
    string Pause90,
    string Resume,
    string Save,
    string Saved,
    string UnsubscribeAll,
    string InvalidEmail,
    string BadForm)
{
    public static readonly PageTexts Spanish = new(
        "es", "Suscríbete", "Correo electrónico", "Nombre", "Idioma", "Acepto:", "Suscribirme",
        "Revisa tu correo", "Te hemos enviado un mensaje con un enlace para confirmar la suscripción.",
        "¡Suscripción hecha!", "Ya estás en la lista.", "Gracias", "Hemos recibido tu solicitud.",
        "El formulario caducó o se envió demasiado rápido. Vuelve a cargar la página e inténtalo de nuevo.",
        "Demasiadas solicitudes desde tu conexión. Inténtalo más tarde.", "Marca la casilla para aceptar.",
        "Confirmar la suscripción", "Confirmar", "Suscripción confirmada", "Gracias: a partir de ahora recibirás nuestros correos.",
        "Enlace no válido", "El enlace no es válido o ha caducado.",
        "Darse de baja", "¿Quieres dejar de recibir los correos de «{0}»?", "Darme de baja",
        "Baja hecha", "No recibirás más correos de esta lista.", "Gestionar mis preferencias",
        "Tus preferencias", "Listas", "Pausar los envíos", "Sin pausa", "30 días", "90 días", "Reanudar ahora", "Guardar",
        "Preferencias guardadas", "Darme de baja de todo", "La dirección de correo no es válida.",
        "No se ha podido leer el formulario enviado. Vuelve a cargar la página e inténtalo de nuevo.");

    public static readonly PageTexts English = new(
        "en", "Subscribe", "Email", "Name", "Language", "I agree:", "Subscribe",
        "Check your inbox", "We sent you a message with a link to confirm the subscription.",
        "You are subscribed!", "You are on the list.", "Thank you", "We received your request.",
        "The form expired or was sent too quickly. Reload the page and try again.",
        "Too many requests from your connection. Try again later.", "Tick the box to agree.",
        "Confirm the subscription", "Confirm", "Subscription confirmed", "Thank you: you will receive our emails from now on.",
        "Invalid link", "The link is not valid or has expired.",
        "Unsubscribe", "Stop receiving the emails of \"{0}\"?", "Unsubscribe me",
        "Unsubscribed", "You will not receive more emails from this list.", "Manage my preferences",
        "Your preferences", "Lists", "Pause sending", "No pause", "30 days", "90 days", "Resume now", "Save",
        "Preferences saved", "Unsubscribe from everything", "The email address is not valid.",
        "The form sent could not be read. Reload the page and try again.");

    public static PageTexts For(HttpContext context, string? language = null)
    {
        var chosen = language ?? context.Request.Query["lang"].ToString();
        if (chosen.Length == 0) chosen = context.Request.Headers.AcceptLanguage.ToString();
        return chosen.TrimStart().StartsWith("es", StringComparison.OrdinalIgnoreCase) ? Spanish : English;
    }
}
