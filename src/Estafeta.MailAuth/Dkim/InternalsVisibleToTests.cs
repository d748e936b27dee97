using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Estafeta.MailAuth.Tests")]
// The authentication benchmark times the DKIM path's own SHA-256 (Sha256) beside openssl's.
[assembly: InternalsVisibleTo("estafeta-bench")]
