using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Estafeta.MailAuth.Tests")]
