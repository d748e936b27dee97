using Estafeta.Storage;
namespace Estafeta.Marketing.Audience;

/// <summary>Local parts that name a function rather than a person (info@, admin@, ventas@, soporte@ ...), in English and Spanish.</summary>
public static class RoleAddresses
{
    private static readonly HashSet<string> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        "info", "informacion", "admin", "administrator", "administrador", "administracion", "admon", "ventas",
        "sales", "soporte", "support", "contact", "contacto", "webmaster", "postmaster", "hostmaster", "abuse",
        "noreply", "no-reply", "no_reply", "donotreply", "office", "oficina", "hello", "hola", "billing",
        "facturacion", "marketing", "rrhh", "hr", "jobs", "empleo", "trabajo", "team", "equipo", "help", "ayuda",
        "security", "seguridad", "root", "compras", "pedidos", "orders", "recepcion", "secretaria", "comercial",
        "atencionalcliente", "clientes", "customerservice", "service", "servicio", "newsletter", "prensa",
        "press", "legal", "privacy", "privacidad", "mailer-daemon", "all", "todos",
    };

    /// <summary>True when the local part (without any +detail) is a role name.</summary>
    public static bool IsRole(string canonicalAddress)
    {
        var local = canonicalAddress[..canonicalAddress.LastIndexOf('@')];
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        var name = plus > 0 ? local[..plus] : local;
        // An internationalised local part may carry the accents the list leaves out (información@, atención.al.cliente@).
        return Roles.Contains(CaseFold.WithoutAccents(name));
    }
}
