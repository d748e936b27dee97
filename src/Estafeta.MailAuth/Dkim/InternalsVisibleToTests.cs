using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Estafeta.MailAuth.Tests")]
[assembly: InternalsVisibleTo("dkimbench")]
