using System.Globalization;
using System.Text;
using Estafeta.Marketing.Audience;

namespace Estafeta.Marketing.Tests;

public abstract class ContactImportTests(AudienceBackend backend) : AudienceTests(backend), IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("estafeta-import-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string WriteText(string name, string text, Encoding encoding, bool bom = false) =>
        Write(name, [.. (bom ? encoding.GetPreamble() : []), .. encoding.GetBytes(text)]);

    private static string Tag() => "import-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Malformed_rows_are_rejected_with_their_line_and_reason_and_good_rows_are_imported()
    {
        var list = await Audience.Lists.AddAsync(Name());
        var a = Email("ana");
        var b = Email("bea");
        var path = WriteText("malformed.csv",
            "email,name,country\n" +
            $"{a},Ana,ES\n" +
            "no-es-un-correo,Pepe,ES\n" +
            $"{b},\"Bea \"\"la jefa\"\"\",PT\n" +
            "solo,dos\n" +
            "x@ejemplo.es,a\"b,ES\n" +
            ",Nadie,ES\n",
            new UTF8Encoding(false));

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("feria 2025") { ListId = list.Id });

        Assert.Equal(2, report.Inserted);
        Assert.Equal(4, report.Rejected);
        Assert.Equal([3L, 5L, 6L, 7L], report.Issues.Where(i => i.Outcome == "rejected").Select(i => i.Row));
        Assert.Contains("no @", report.Issues.Single(i => i.Row == 3).Reason.Replace("an @", "no @", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("number of fields", report.Issues.Single(i => i.Row == 5).Reason, StringComparison.Ordinal);
        Assert.Contains("quote", report.Issues.Single(i => i.Row == 6).Reason, StringComparison.Ordinal);
        Assert.Equal("no email address", report.Issues.Single(i => i.Row == 7).Reason);
        var bea = await Audience.Contacts.FindAsync(b);
        Assert.Equal("Bea \"la jefa\"", bea!.Name);
        Assert.Equal("PT", bea.Fields["country"]);
        var history = await Audience.Subscriptions.HistoryAsync(bea.Id);
        Assert.Equal(ConsentSourceKind.Import, Assert.Single(history).Evidence.Kind);
        Assert.StartsWith("feria 2025 [import ", history[0].Evidence.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_language_column_takes_codes_and_names_and_refuses_what_is_neither()
    {
        var (a, b, c, d) = (Email("ana"), Email("bea"), Email("carla"), Email("dora"));
        var path = WriteText("idiomas.csv",
            "correo;idioma\n" +
            $"{a};Español\n" +
            $"{b};English\n" +
            $"{c};es_MX\n" +
            $"{d};klingon\n",
            new UTF8Encoding(false));

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("feria"));

        Assert.Equal(3, report.Inserted);
        var rejected = Assert.Single(report.Issues);
        Assert.Equal((5L, "rejected"), (rejected.Row, rejected.Outcome));
        Assert.StartsWith("'klingon' is not a language", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal("es", (await Audience.Contacts.FindAsync(a))!.Language);
        Assert.Equal("en", (await Audience.Contacts.FindAsync(b))!.Language);
        Assert.Equal("es-mx", (await Audience.Contacts.FindAsync(c))!.Language);
        Assert.Null(await Audience.Contacts.FindAsync(d));
        Assert.True(ConfirmationMail.IsSpanish((await Audience.Contacts.FindAsync(a))!.Language));
    }

    [Theory]
    [InlineData("utf8-bom", ';')]
    [InlineData("utf8", '\t')]
    [InlineData("latin1", ';')]
    [InlineData("latin1", '|')]
    [InlineData("utf8", ',')]
    public async Task Encodings_and_delimiters_are_detected(string encoding, char delimiter)
    {
        var email = Email("josé");
        var d = delimiter.ToString();
        var text = $"Correo electrónico{d}Nombre{d}Apellidos{d}Población\r\n{email}{d}José{d}Muñoz Ibáñez{d}A Coruña\r\n";
        var path = encoding switch
        {
            "utf8-bom" => WriteText("bom.csv", text, new UTF8Encoding(true), bom: true),
            "utf8" => WriteText("utf8.csv", text, new UTF8Encoding(false)),
            _ => WriteText("latin1.csv", text, Encoding.Latin1),
        };

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("tienda"));

        Assert.Equal(1, report.Inserted);
        Assert.Equal(encoding == "latin1" ? "windows-1252 (Latin-1)" : encoding == "utf8-bom" ? "utf-8 (BOM)" : "utf-8", report.Encoding);
        var contact = await Audience.Contacts.FindAsync(email);
        Assert.Equal("José Muñoz Ibáñez", contact!.Name);
        Assert.Equal("A Coruña", contact.Fields["población"]);
    }

    [Fact]
    public async Task Field_names_keep_their_accents_and_a_name_written_without_them_finds_the_same_field()
    {
        var s = Guid.NewGuid().ToString("N")[..6];
        var (pais, anio) = ($"país_{s}", $"año_{s}");
        var ana = Email("ana");
        // "País" and "pais" name one field: a file with both is refused (one value would be lost), and keeps one when told.
        var both = WriteText("campos.csv", $"email;País {s};Año-{s};pais {s}\n{ana};ES;1990;MX\n", new UTF8Encoding(false));
        var clash = await Assert.ThrowsAsync<Estafeta.Storage.InvalidInputException>(() => Audience.Importer(checkDns: false).ImportAsync(both, new ImportOptions("tienda")));
        Assert.Contains($"the columns 'País {s}' and 'pais {s}' would both fill field {pais}; keep one with --map 'pais {s}=skip'", clash.Message, StringComparison.Ordinal);
        var first = WriteText("campos-2.csv", $"email;País {s};Año-{s};pais {s}\n{ana};MX;1990;ES\n", new UTF8Encoding(false));

        var report = await Audience.Importer(checkDns: false).ImportAsync(first, new ImportOptions("tienda") { Maps = [$"pais {s}=skip"] });

        Assert.Equal(1, report.Inserted);
        var contact = await Audience.Contacts.FindAsync(ana);
        Assert.Equal("MX", contact!.Fields[pais]);
        Assert.Equal("1990", contact.Fields[anio]);
        var names = (await Audience.Fields.ListAsync()).Select(f => f.Name).Where(n => n.EndsWith(s, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal([anio, pais], names);

        // A later file, the API and a segment reach the same field without the accents, in capitals or decomposed.
        var bea = Email("bea");
        var second = WriteText("sin-acentos.csv", $"email;PAIS {s};Ano {s}\n{bea};PT;1985\n", new UTF8Encoding(false));
        Assert.Equal(1, (await Audience.Importer(checkDns: false).ImportAsync(second, new ImportOptions("tienda"))).Inserted);
        var luis = (await Audience.Contacts.UpsertAsync(new ContactInput(Email("luis")) { Fields = new Dictionary<string, string?> { [$"Pai\u0301s {s}"] = "PT" } })).Contact;
        Assert.Equal("PT", luis.Fields[pais]);
        Assert.Equal("1985", (await Audience.Contacts.FindAsync(bea))!.Fields[anio]);
        Assert.Equal(2, (await Audience.Fields.ListAsync()).Count(f => f.Name.EndsWith(s, StringComparison.Ordinal)));
        foreach (var expression in (string[])[$"pais_{s} = \"PT\"", $"país_{s} = \"PT\"", $"PAÍS_{s} = \"PT\""])
            Assert.Equal(2, await Audience.Segments.CountAsync(await Audience.Segments.ResolveAsync(expression)));

        // Defining a field that differs from one only in accents or case is refused.
        var conflict = await Assert.ThrowsAsync<Estafeta.Storage.ConflictException>(() => Audience.Fields.DefineAsync($"Pais_{s}", FieldType.Text));
        Assert.Contains(pais, conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_with_a_name_too_long_or_too_many_tags_is_rejected_with_why()
    {
        var (ok, longName, manyTags) = (Email("ok"), Email("largo"), Email("etiquetas"));
        var tags = string.Join('|', Enumerable.Range(0, 101).Select(i => $"t{i}"));
        var path = WriteText("limites.csv", $"email;name;tags\n{ok};Ana;vip\n{longName};{new string('x', 201)};\n{manyTags};Eva;{tags}\n", new UTF8Encoding(false));

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("tienda"));

        Assert.Equal(1, report.Inserted);
        Assert.Contains("at most 200 characters", report.Issues.Single(i => i.Row == 3).Reason, StringComparison.Ordinal);
        Assert.Contains("at most 100 tags", report.Issues.Single(i => i.Row == 4).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_whose_columns_would_make_more_than_500_fields_stops_before_making_any()
    {
        var before = (await Audience.Fields.ListAsync()).Count;
        var s = Guid.NewGuid().ToString("N")[..6];
        var columns = string.Join(',', Enumerable.Range(0, 600).Select(i => $"col{i}_{s}"));
        var path = WriteText("ancho.csv", $"email,{columns}\n{Email()},{string.Join(',', Enumerable.Repeat("x", 600))}\n", new UTF8Encoding(false));

        var e = await Assert.ThrowsAsync<Estafeta.Storage.InvalidInputException>(() => Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("tienda")));

        Assert.Contains("would add 600 custom fields", e.Message, StringComparison.Ordinal);
        Assert.Contains("--map 'column=skip'", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await Audience.Fields.ListAsync()).Count);
    }

    [Theory]
    [InlineData("email,name,Email\n", "the header names the column 'email' 2 times (columns 1 and 3)")]
    [InlineData("email,correo,nombre\n", "the columns 'email' and 'correo' would both fill email; keep one with --map 'correo=skip'")]
    [InlineData("email,País,pais\n", "the columns 'País' and 'pais' would both fill field país")]
    [InlineData("nombre,ciudad\n", "no column holds the email address")]
    [InlineData("", "the file is empty")]
    public async Task A_header_whose_columns_clash_or_hold_no_address_is_refused_before_any_row_even_with_no_rows(string header, string problem)
    {
        var rows = header.Length == 0 ? "" : header + (header.StartsWith("email", StringComparison.Ordinal) ? $"{Email()},a,b\n" : "");
        foreach (var text in new[] { header, rows }.Distinct())
        {
            var path = WriteText("cabecera.csv", text, new UTF8Encoding(false));
            var e = await Assert.ThrowsAsync<Estafeta.Storage.InvalidInputException>(() => Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("tienda")));
            Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(ExportFormat.Csv, "csv")]
    [InlineData(ExportFormat.JsonLines, "jsonl")]
    [InlineData(ExportFormat.SpreadsheetCsv, "csv")]
    public async Task A_file_exported_imports_again_as_it_is(ExportFormat format, string extension)
    {
        var s = Guid.NewGuid().ToString("N")[..6];
        var (telefono, nota) = ($"teléfono_{s}", $"nota_{s}");
        var tag = Tag();
        var email = Email("ronda");
        await Audience.Contacts.UpsertAsync(new ContactInput(email)
        {
            Name = "José Ñúñez", Language = "es", Tags = [tag, "Cliente VIP"],
            Fields = new Dictionary<string, string?> { [telefono] = "+34 600 000 000", [nota] = "=SUMA(1;2) y 'comillas'" },
        });
        var original = (await Audience.Contacts.FindAsync(email))!;
        var list = await Audience.Lists.AddAsync(Name());
        await Audience.Subscriptions.SetAsync(original.Id, list.Id, SubscriptionStatus.Subscribed, Operator);
        using var exported = new MemoryStream();
        // A list's export has each contact's subscription_status too, which an import does not take.
        await Audience.Exporter.ExportAsync(exported, format, list.Id, await Audience.Segments.ResolveAsync($"tag(\"{tag}\")"));
        Assert.Contains("subscription_status", Encoding.UTF8.GetString(exported.ToArray()), StringComparison.Ordinal);
        // For spreadsheet programs: a byte order mark (Excel reads UTF-8 without one as ANSI) and semicolons (Excel's list
        // separator in Spanish); the tags' own semicolons are quoted.
        var bytes = exported.ToArray();
        Assert.Equal(format == ExportFormat.SpreadsheetCsv, bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        if (format != ExportFormat.JsonLines)
            Assert.StartsWith(format == ExportFormat.SpreadsheetCsv ? "\uFEFFemail;name;language;" : "email,name,language,", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        // Changed after the export: importing the file puts the exported values back.
        await Audience.Contacts.UpsertAsync(new ContactInput(email) { Name = "Otro", Fields = new Dictionary<string, string?> { [telefono] = "1", [nota] = "2" } });
        var path = Write($"exportado.{extension}", exported.ToArray());

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("tienda"));

        Assert.Equal((0L, 1L, 0L), (report.Inserted, report.Updated, report.Rejected));
        var again = (await Audience.Contacts.FindAsync(email))!;
        Assert.Equal((original.Name, original.Language), (again.Name, again.Language));
        Assert.Equal(original.Tags.Order(StringComparer.Ordinal), again.Tags.Order(StringComparer.Ordinal));
        Assert.Equal("+34 600 000 000", again.Fields[telefono]);
        Assert.Equal("=SUMA(1;2) y 'comillas'", again.Fields[nota]);
        Assert.Equal(2, again.Fields.Count);
    }

    [Fact]
    public async Task Columns_without_a_name_are_skipped_and_several_tag_columns_add_up()
    {
        var email = Email();
        var path = WriteText("hoja.csv", $"email,name,,etiquetas,tags,\n{email},Ana,x,vip,madrid,\n", new UTF8Encoding(false));

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("tienda"));

        Assert.Equal((1L, 0L), (report.Inserted, report.Rejected));
        var contact = (await Audience.Contacts.FindAsync(email))!;
        Assert.Equal(["madrid", "vip"], contact.Tags.Order(StringComparer.Ordinal));
        Assert.Empty(contact.Fields);
    }

    [Fact]
    public async Task A_binary_file_or_a_folder_is_refused_with_what_to_do_and_utf16_with_its_mark_is_read()
    {
        var binary = Write("hoja.xlsx", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, .. "email\n"u8]);
        var e = await Assert.ThrowsAsync<Estafeta.Storage.InvalidInputException>(() => Audience.Importer(checkDns: false).ImportAsync(binary, new ImportOptions("tienda")));
        Assert.Contains("hoja.xlsx is not a text file", e.Message, StringComparison.Ordinal);
        Assert.Contains("save it as CSV", e.Message, StringComparison.Ordinal);
        var folder = await Assert.ThrowsAsync<Estafeta.Storage.InvalidInputException>(() => Audience.Importer(checkDns: false).ImportAsync(this.folder, new ImportOptions("tienda")));
        Assert.Contains("is a folder", folder.Message, StringComparison.Ordinal);

        var email = Email("ñandú");
        var utf16 = WriteText("unicode.csv", $"email;nombre\r\n{email};Ñandú\r\n", Encoding.Unicode, bom: true);
        var report = await Audience.Importer(checkDns: false).ImportAsync(utf16, new ImportOptions("tienda"));
        Assert.Equal((1, "utf-16le (BOM)"), (report.Inserted, report.Encoding));
        Assert.Equal("Ñandú", (await Audience.Contacts.FindAsync(email))!.Name);
    }

    [Theory]
    [InlineData(0xFF, 0xFE)]
    [InlineData(0xFE, 0xFF)]
    public async Task A_windows_1252_file_beginning_with_the_octets_of_a_utf16_mark_is_read_as_windows_1252(byte first, byte second)
    {
        // "ÿþ" (or "þÿ") opening the first column's name: UTF-16 would hold NUL octets, this file has none.
        var email = Email("año");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var latin = Encoding.GetEncoding(1252);
        var path = Write("latin.csv", [first, second, .. latin.GetBytes($"x;email;nombre\r\n1;{email};Ñandú\r\n")]);

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("tienda"));

        Assert.Equal((1L, 0L, "windows-1252 (Latin-1)"), (report.Inserted, report.Rejected, report.Encoding));
        var contact = (await Audience.Contacts.FindAsync(email))!;
        Assert.Equal("Ñandú", contact.Name);
        Assert.Equal("1", contact.Fields[latin.GetString([first, second, (byte)'x'])]);
    }

    [Fact]
    public async Task Json_lines_are_imported_with_lists_as_tags_and_broken_lines_reported()
    {
        var email = Email();
        var tag = Tag();
        var path = WriteText("c.jsonl",
            $"{{\"email\":\"{email}\",\"name\":\"Marta\",\"language\":\"es\",\"tags\":[\"{tag}\",\"vip\"],\"puntos\":42}}\n" +
            "{\"email\": \n" +
            "[1,2]\n", new UTF8Encoding(false));

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("app móvil"));

        Assert.Equal(1, report.Inserted);
        Assert.Equal([2L, 3L], report.Issues.Select(i => i.Row));
        var contact = await Audience.Contacts.FindAsync(email);
        Assert.Contains(tag, contact!.Tags);
        Assert.Equal("42", contact.Fields["puntos"]);
    }

    [Fact]
    public async Task Column_maps_rename_and_skip_columns()
    {
        var email = Email();
        var path = WriteText("m.csv", $"E,Quien,Secreto\n{email},Rosa,clave\n", new UTF8Encoding(false));

        await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("crm") { Maps = ["E=email", "Quien=name", "Secreto=skip"] });

        var contact = await Audience.Contacts.FindAsync(email);
        Assert.Equal("Rosa", contact!.Name);
        Assert.Empty(contact.Fields);
    }

    [Fact]
    public async Task An_import_never_subscribes_a_suppressed_address_nor_resubscribes_one_who_left()
    {
        var list = await Audience.Lists.AddAsync(Name());
        var suppressed = Email("baja");
        var left = await NewContactAsync();
        await Audience.Suppression.AddAsync(suppressed, SuppressionReason.Complaint, null, Operator);
        await Audience.Subscriptions.SetAsync(left.Id, list.Id, SubscriptionStatus.Unsubscribed, Operator);
        var path = WriteText("s.csv", $"email\n{suppressed}\n{left.Email}\n", new UTF8Encoding(false));

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("antiguo crm") { ListId = list.Id });

        Assert.Equal(1, report.Suppressed);
        Assert.Equal("suppressed", report.Issues.Single(i => i.Row == 2).Outcome);
        Assert.Null(await Audience.Contacts.FindAsync(suppressed));
        Assert.Equal(SubscriptionStatus.Unsubscribed, (await Audience.Subscriptions.GetAsync(left.Id, list.Id))!.Status);
    }

    [Fact]
    public async Task A_suppressed_contact_already_known_is_neither_updated_nor_subscribed_and_erased_ones_are_reported_without_address()
    {
        var list = await Audience.Lists.AddAsync(Name());
        var known = await NewContactAsync();
        var erased = Email("borrada");
        var fresh = Email("nueva");
        await Audience.Suppression.AddAsync(known.Email, SuppressionReason.HardBounce, null, Operator);
        await Audience.Suppression.AddAsync(erased, SuppressionReason.Erased, null, Operator);
        var path = WriteText("k.csv", $"email,name\n{known.Email},Otro Nombre\n{erased},Borrada\n{fresh},Nueva\n", new UTF8Encoding(false));

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("feria") { ListId = list.Id });

        Assert.Equal(2, report.Suppressed);
        Assert.Equal(1, report.Inserted);
        Assert.Equal(0, report.Updated);
        Assert.Null(await Audience.Subscriptions.GetAsync(known.Id, list.Id));
        Assert.Equal(known.Name, (await Audience.Contacts.FindAsync(known.Email))!.Name);
        var erasedIssue = report.Issues.Single(i => i.Row == 3);
        Assert.Equal(("suppressed", (string?)null), (erasedIssue.Outcome, erasedIssue.Email));
        Assert.Contains("erased", erasedIssue.Reason, StringComparison.Ordinal);
        Assert.Contains("suppressed", report.Issues.Single(i => i.Row == 2).Reason, StringComparison.Ordinal);
        var newcomer = await Audience.Contacts.FindAsync(fresh);
        Assert.Equal(SubscriptionStatus.Subscribed, (await Audience.Subscriptions.GetAsync(newcomer!.Id, list.Id))!.Status);
    }

    [Fact]
    public async Task Rows_repeating_an_address_are_applied_in_order_and_row_tags_and_typed_fields_are_written()
    {
        var list = await Audience.Lists.AddAsync(Name());
        var email = Email("dos-veces");
        var tag = Tag();
        var path = WriteText("d.csv",
            $"email;name;tags;ciudad\n{email};Primera;{tag}|uno;Lugo\n{email};Segunda;dos;\n{Email()};Otra;;Vigo\n", new UTF8Encoding(false));

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("tienda") { ListId = list.Id });

        Assert.Equal((2L, 1L, 0L), (report.Inserted, report.Updated, report.Rejected));
        var contact = await Audience.Contacts.FindAsync(email);
        Assert.Equal("Segunda", contact!.Name);
        Assert.Equal("Lugo", contact.Fields["ciudad"]);
        Assert.Equal(new[] { tag, "dos", "uno" }.Order(StringComparer.Ordinal), contact.Tags.Order(StringComparer.Ordinal));
        Assert.Single(await Audience.Subscriptions.HistoryAsync(contact.Id));
    }

    [Fact]
    public async Task Known_suppressed_and_new_addresses_interleaved_in_a_chunk_each_get_their_own_row()
    {
        // New contacts between known and suppressed ones: each must end up with its own row's name, tag, field and
        // subscription, whatever ids the chunk's new contacts get.
        var list = await Audience.Lists.AddAsync(Name());
        var known = new List<Contact>();
        for (var i = 0; i < 3; i++) known.Add(await NewContactAsync());
        await Audience.Subscriptions.SetAsync(known[1].Id, list.Id, SubscriptionStatus.Unsubscribed, Operator);
        var blocked = new[] { Email("bloqueada"), known[2].Email };
        foreach (var address in blocked) await Audience.Suppression.AddAsync(address, SuppressionReason.Complaint, null, Operator);
        var text = new StringBuilder("email;name;tags;puesto\n");
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 40; i++)
        {
            var address = i switch
            {
                5 => known[0].Email,
                11 => known[1].Email,
                17 => blocked[0],
                23 => blocked[1],
                _ => Email("fila" + i.ToString(CultureInfo.InvariantCulture)),
            };
            var label = "fila-" + i.ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"{address};Nombre {label};{label};{label}\n");
            if (i is not (17 or 23)) expected[address] = label;
        }

        var path = WriteText("mix.csv", text.ToString(), new UTF8Encoding(false));
        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("mezcla") { ListId = list.Id, BatchSize = 15 });

        Assert.Equal((36L, 2L, 2L), (report.Inserted, report.Updated, report.Suppressed));
        foreach (var (address, label) in expected)
        {
            var contact = await Audience.Contacts.FindAsync(address);
            Assert.Equal(("Nombre " + label, label), (contact!.Name, contact.Fields["puesto"]));
            Assert.Equal([label], contact.Tags);
            var status = address == known[1].Email ? SubscriptionStatus.Unsubscribed : SubscriptionStatus.Subscribed;
            Assert.Equal(status, (await Audience.Subscriptions.GetAsync(contact.Id, list.Id))!.Status);
        }

        Assert.Null(await Audience.Contacts.FindAsync(blocked[0]));
        Assert.Null(await Audience.Subscriptions.GetAsync(known[2].Id, list.Id));
        Assert.Empty((await Audience.Contacts.FindAsync(known[2].Email))!.Tags);
    }

    [Fact]
    public async Task Risky_addresses_are_imported_with_a_warning_in_the_report()
    {
        var path = WriteText("r.csv", $"email\ninfo.{Guid.NewGuid():N}@gmial.com\n{Email()}\n", new UTF8Encoding(false));

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("feria"));

        Assert.Equal(2, report.Inserted);
        var warning = Assert.Single(report.Issues);
        Assert.Equal("warning", warning.Outcome);
        Assert.Contains("did you mean", warning.Reason, StringComparison.Ordinal);
        Assert.Contains("@gmail.com?", warning.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_thousand_rows_with_bad_ones_are_imported_in_batches()
    {
        var list = await Audience.Lists.AddAsync(Name());
        var tag = Tag();
        var text = new StringBuilder("email;first_name;last_name;country;city;signup\n");
        for (var i = 0; i < 10_000; i++)
        {
            text.Append(i % 100 == 7 ? $"broken-{i}" : $"p{i}.{tag}@ejemplo.es").Append(CultureInfo.InvariantCulture, $";Nombre{i};Apellido{i};ES;Madrid;2025-0{1 + (i % 9)}-15\n");
        }

        var path = WriteText("10k.csv", text.ToString(), new UTF8Encoding(false));
        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("web") { ListId = list.Id, Tags = [tag], BatchSize = 1500 });

        Assert.Equal(10_000, report.Rows);
        Assert.Equal(9_900, report.Inserted);
        Assert.Equal(100, report.Rejected);
        Assert.Equal(9_900, await Audience.Segments.CountAsync(await SegmentCompiler.CompileAsync(Db, $"tag(\"{tag}\") and list(\"{list.Name}\")")));
    }

    [Fact]
    public async Task An_import_writes_one_consent_record_for_the_job_and_list_that_each_new_subscriber_shows()
    {
        var list = await Audience.Lists.AddAsync(Name(), consentText: "Acepto recibir el boletín");
        var (a, b) = (Email("ana"), Email("bea"));
        var path = WriteText("consent.csv", $"email\n{a}\n{b}\n", new UTF8Encoding(false));

        await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("feria 2025") { ListId = list.Id });

        var ana = (await Audience.Contacts.FindAsync(a))!;
        var bea = (await Audience.Contacts.FindAsync(b))!;
        var first = Assert.Single(await Audience.Subscriptions.HistoryAsync(ana.Id));
        var second = Assert.Single(await Audience.Subscriptions.HistoryAsync(bea.Id));
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(ana.Id, first.ContactId);
        Assert.Equal(bea.Id, second.ContactId);
        Assert.Equal(list.Id, first.ListId);
        Assert.Equal(SubscriptionStatus.Subscribed, first.Status);
        Assert.Equal(ConsentSourceKind.Import, first.Evidence.Kind);
        Assert.StartsWith("feria 2025 [import ", first.Evidence.Source, StringComparison.Ordinal);
        Assert.EndsWith(": consent.csv]", first.Evidence.Source, StringComparison.Ordinal);
        Assert.Equal("Acepto recibir el boletín", first.Evidence.ConsentText);
        var export = await Audience.Privacy.ExportAsync(a);
        Assert.Equal(first.Id, Assert.Single(export.ConsentRecords).Id);

        // A later change of the subscription follows the import's record in the history.
        await Audience.Subscriptions.SetAsync(ana.Id, list.Id, SubscriptionStatus.Unsubscribed, Operator);
        var history = await Audience.Subscriptions.HistoryAsync(ana.Id);
        Assert.Equal([SubscriptionStatus.Subscribed, SubscriptionStatus.Unsubscribed], history.Select(r => r.Status));
        Assert.Equal(ConsentSourceKind.Import, history[0].Evidence.Kind);
    }

    [Fact]
    public async Task The_import_consent_record_stays_in_the_contacts_history_when_the_list_is_deleted()
    {
        var list = await Audience.Lists.AddAsync(Name(), consentText: "Acepto");
        var other = await Audience.Lists.AddAsync(Name());
        var a = Email("ana");
        var path = WriteText("gone.csv", $"email\n{a}\n", new UTF8Encoding(false));
        await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("feria 2025") { ListId = list.Id });
        await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("otra feria") { ListId = other.Id });
        var ana = (await Audience.Contacts.FindAsync(a))!;
        var before = await Audience.Subscriptions.HistoryAsync(ana.Id);

        await Audience.Lists.RemoveAsync(list.Id);

        var after = await Audience.Subscriptions.HistoryAsync(ana.Id);
        Assert.Equal(2, after.Count);
        Assert.Equal(before.Select(r => (r.Evidence, r.At, r.Status)), after.Select(r => (r.Evidence, r.At, r.Status)));
        Assert.Null(after[0].ListId);
        Assert.Equal(other.Id, after[1].ListId);
        Assert.Equal("Acepto", after[0].Evidence.ConsentText);
        Assert.StartsWith("feria 2025 [import ", after[0].Evidence.Source, StringComparison.Ordinal);
        Assert.Equal(2, (await Audience.Privacy.ExportAsync(a)).ConsentRecords.Count);
        Assert.Null(await Audience.Subscriptions.GetAsync(ana.Id, list.Id));
    }

    [Fact]
    public async Task An_interrupted_import_resumes_after_its_checkpoint_without_duplicates()
    {
        var list = await Audience.Lists.AddAsync(Name());
        var tag = Tag();
        var text = new StringBuilder("email,name\n");
        for (var i = 0; i < 3000; i++) text.Append(CultureInfo.InvariantCulture, $"r{i}.{tag}@ejemplo.es,Persona {i}\n");
        text.Append("mal,Roto\n");
        text.Append(CultureInfo.InvariantCulture, $"baja.{tag}@ejemplo.es,Baja\n");
        await Audience.Suppression.AddAsync($"baja.{tag}@ejemplo.es", SuppressionReason.Complaint, null, Operator);
        var path = WriteText("resume.csv", text.ToString(), new UTF8Encoding(false));
        using var stop = new CancellationTokenSource();
        var options = new ImportOptions("tienda") { ListId = list.Id, Tags = [tag], BatchSize = 500 };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Audience.Importer(checkDns: false).ImportAsync(path,
            options with { Progress = new SynchronousProgress(p => { if (p.Rows >= 1200) stop.Cancel(); }) }, stop.Token));
        var partial = await Audience.Segments.CountAsync(await SegmentCompiler.CompileAsync(Db, $"tag(\"{tag}\")"));
        var report = await Audience.Importer(checkDns: false).ImportAsync(path, options);

        Assert.InRange(partial, 500, 2999);
        Assert.True(report.Resumed);
        Assert.Equal(3002, report.Rows);
        Assert.Equal(3000, report.Inserted + report.Updated);
        Assert.Equal(0, report.Updated);
        Assert.Equal(1, report.Rejected);
        Assert.Equal(1, report.Suppressed);
        Assert.Equal([3002L, 3003L], report.Issues.Select(i => i.Row));
        Assert.Equal(3000, await Audience.Segments.CountAsync(await SegmentCompiler.CompileAsync(Db, $"tag(\"{tag}\") and list(\"{list.Name}\")")));
        var someone = await Audience.Contacts.FindAsync($"r0.{tag}@ejemplo.es");
        var last = await Audience.Contacts.FindAsync($"r2999.{tag}@ejemplo.es");
        // The resumed run goes on with the job's consent record.
        Assert.Equal(Assert.Single(await Audience.Subscriptions.HistoryAsync(someone!.Id)).Id, Assert.Single(await Audience.Subscriptions.HistoryAsync(last!.Id)).Id);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_on_stops_the_import_after_the_chunks_read_before_it()
    {
        var list = await Audience.Lists.AddAsync(Name());
        var tag = Tag();
        var text = new StringBuilder("email,name\n");
        for (var i = 0; i < 1200; i++) text.Append(CultureInfo.InvariantCulture, $"p{i}.{tag}@ejemplo.es,Persona {i}\n");
        text.Append("abierta@ejemplo.es,\"sin cerrar ").Append('x', 5 << 20).Append('\n');
        var path = WriteText("open-quote.csv", text.ToString(), new UTF8Encoding(false));
        var options = new ImportOptions("tienda") { ListId = list.Id, Tags = [tag], BatchSize = 500 };

        var e = await Assert.ThrowsAsync<Estafeta.Storage.InvalidInputException>(() => Audience.Importer(checkDns: false).ImportAsync(path, options));

        Assert.Contains("line 1202", e.Message, StringComparison.Ordinal);
        Assert.Equal(1000, await Audience.Segments.CountAsync(await SegmentCompiler.CompileAsync(Db, $"tag(\"{tag}\") and list(\"{list.Name}\")")));
        var header = WriteText("no-email.csv", "nombre,ciudad\nAna,Sevilla\n", new UTF8Encoding(false));
        var missing = await Assert.ThrowsAsync<Estafeta.Storage.InvalidInputException>(() => Audience.Importer(checkDns: false).ImportAsync(header, options));
        Assert.Contains("no column holds the email address", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contacts_written_through_the_api_while_an_import_runs_are_found_by_it_and_keep_their_ids()
    {
        // Another writer adds contacts while the import writes its chunks: addresses of its own, and the file's from its
        // end backwards, so some reach the database before the import's chunk does. Every address must end up one
        // contact; a file address the other writer created is one the import updates (under that writer's id), and
        // every other one it inserts; the new contacts' ids, taken while the other writer takes its own, never clash.
        var list = await Audience.Lists.AddAsync(Name());
        var tag = Tag();
        const int Rows = 4000;
        var text = new StringBuilder("email,name\n");
        for (var i = 0; i < Rows; i++) text.Append(CultureInfo.InvariantCulture, $"c{i}.{tag}@ejemplo.es,Fichero {i}\n");
        var path = WriteText("concurrent.csv", text.ToString(), new UTF8Encoding(false));
        // After its first chunk the import waits (with a generous limit, never an assertion) until the other writer has
        // created some of the file's addresses itself, so the race this test is about happens on every machine, however
        // the scheduler orders the two writers.
        using var raced = new ManualResetEventSlim();
        var importing = Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("tienda")
        {
            ListId = list.Id, Tags = [tag], BatchSize = 250, Progress = new SynchronousProgress(_ => raced.Wait(TimeSpan.FromMinutes(2))),
        });
        var createdByOther = new Dictionary<string, long>(StringComparer.Ordinal);
        var own = new Dictionary<string, long>(StringComparer.Ordinal);
        var next = Rows - 1;
        while (!importing.IsCompleted)
        {
            var address = next >= 0 ? $"c{next--}.{tag}@ejemplo.es" : Email("otra");
            // Never an error: an address the import inserts between this writer's look-up and its insert is updated instead.
            var (contact, created) = await Audience.Contacts.UpsertAsync(new ContactInput(address) { Name = "Otra vía" });
            if (address.Contains(tag, StringComparison.Ordinal) && created) createdByOther[address] = contact.Id;
            var mine = Email("propia");
            own[mine] = (await Audience.Contacts.UpsertAsync(new ContactInput(mine) { Name = "Propia" })).Contact.Id;
            if (createdByOther.Count >= 20) raced.Set();
        }

        var report = await importing;

        Assert.NotEmpty(own);
        Assert.NotEmpty(createdByOther);
        Assert.Equal(Rows, report.Inserted + report.Updated);
        Assert.Equal(createdByOther.Count, report.Updated);
        Assert.Equal(Rows, await Audience.Segments.CountAsync(await SegmentCompiler.CompileAsync(Db, $"tag(\"{tag}\") and list(\"{list.Name}\")")));
        foreach (var (address, id) in createdByOther)
        {
            var contact = await Audience.Contacts.FindAsync(address);
            Assert.Equal(id, contact!.Id);
            Assert.StartsWith("Fichero ", contact.Name, StringComparison.Ordinal);
        }

        foreach (var (address, id) in own)
        {
            var contact = await Audience.Contacts.FindAsync(address);
            Assert.Equal(("Propia", id), (contact!.Name, contact.Id));
        }
    }

    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}

public sealed class ContactImportOnSqlite(SqliteAudience backend) : ContactImportTests(backend), IClassFixture<SqliteAudience>;

public sealed class ContactImportOnPostgres(PostgresAudience backend) : ContactImportTests(backend), IClassFixture<PostgresAudience>;
