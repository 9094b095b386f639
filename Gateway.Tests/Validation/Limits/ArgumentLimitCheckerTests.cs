using System.Text;
using System.Text.Json;
using Gateway.Transforms.Validation.Limits;

namespace Gateway.Tests.Validation.Limits;

public sealed class ArgumentLimitCheckerTests
{
    [Test]
    public void Check_TypicalArguments_HasNoViolation()
    {
        using JsonDocument document = JsonDocument.Parse("""{"path":"src/a.cs","filters":{"tags":["x","y"],"limit":10},"deep":true}""");

        Assert.That(ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits()), Is.Null);
    }

    [Test]
    public void Check_UndefinedElement_HasNoViolation()
    {
        Assert.That(ArgumentLimitChecker.Check(default, new ArgumentLimits()), Is.Null);
    }

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(32)]
    public void Check_NestingExactlyAtMaxDepth_Passes(int maxDepth)
    {
        using JsonDocument document = JsonDocument.Parse(NestedObjects(maxDepth));

        Assert.That(ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxDepth = maxDepth }), Is.Null);
    }

    [TestCase(1, "$.n")]
    [TestCase(3, "$.n.n.n")]
    public void Check_NestingOneOverMaxDepth_NamesDeepestContainer(int maxDepth, string path)
    {
        using JsonDocument document = JsonDocument.Parse(NestedObjects(maxDepth + 1));

        LimitViolation? violation = ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxDepth = maxDepth });

        Assert.That(violation, Is.EqualTo(new LimitViolation("MaxDepth", path, maxDepth + 1, maxDepth, violation?.Message ?? "")));
        Assert.That(violation!.Value.Message, Does.Contain(path).And.Contain("MaxDepth"));
    }

    [Test]
    public void Check_DeepArrayInsideObject_PathUsesIndices()
    {
        using JsonDocument document = JsonDocument.Parse("""{"a":[1,[2,[3,{"b":[[]]}]]]}""");

        LimitViolation? violation = ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxDepth = 6 });

        Assert.That(violation?.Path, Is.EqualTo("$.a[1][1][1].b[0]"));
    }

    [Test]
    public void Check_StringExactlyAtMaxLength_Passes()
    {
        using JsonDocument document = JsonDocument.Parse(Tags(new string('x', 100)));

        Assert.That(ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxStringLength = 100 }), Is.Null);
    }

    [Test]
    public void Check_StringOneOverMaxLength_NamesItsPath()
    {
        using JsonDocument document = JsonDocument.Parse(Tags(new string('x', 101)));

        LimitViolation? violation = ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxStringLength = 100 });

        Assert.That(violation, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(violation!.Value.Limit, Is.EqualTo("MaxStringLength"));
            Assert.That(violation.Value.Path, Is.EqualTo("$.filters.tags[3]"));
            Assert.That(violation.Value.Actual, Is.EqualTo(101));
            Assert.That(violation.Value.Maximum, Is.EqualTo(100));
            Assert.That(violation.Value.Message, Does.StartWith("argument '$.filters.tags[3]' is a string of 101 characters"));
        }
    }

    [Test]
    public void Check_EscapedStringWhoseDecodedLengthIsAtLimit_Passes()
    {
        string escaped = string.Concat(Enumerable.Repeat("\\u0041", 100));
        using JsonDocument document = JsonDocument.Parse($$"""{"s":"{{escaped}}"}""");

        Assert.That(ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxStringLength = 100 }), Is.Null);
    }

    [Test]
    public void Check_EscapedStringOneOverLimit_ReportsDecodedLength()
    {
        string escaped = string.Concat(Enumerable.Repeat("\\n", 101));
        using JsonDocument document = JsonDocument.Parse($$"""{"s":"{{escaped}}"}""");

        LimitViolation? violation = ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxStringLength = 100 });

        Assert.That(violation?.Actual, Is.EqualTo(101));
    }

    [TestCase("日", 100, true)]
    [TestCase("日", 101, false)]
    [TestCase("😀", 50, true)]
    [TestCase("😀", 51, false)]
    public void Check_NonAsciiString_CountsUtf16Characters(string unit, int repeat, bool passes)
    {
        using JsonDocument document = JsonDocument.Parse(JsonSerializer.Serialize(new { s = string.Concat(Enumerable.Repeat(unit, repeat)) }));

        LimitViolation? violation = ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxStringLength = 100 });

        Assert.That(violation is null, Is.EqualTo(passes));
    }

    [Test]
    public void Check_LongPropertyName_IsViolationWithQuotedTruncatedName()
    {
        string name = "a b" + new string('n', 200);
        using JsonDocument document = JsonDocument.Parse($$"""{"ok":1,"{{name}}":2}""");

        LimitViolation? violation = ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxStringLength = 100 });

        Assert.That(violation?.Path, Is.EqualTo("$['a b" + new string('n', 61) + "...']"));
        Assert.That(violation?.Message, Does.Contain("has a property name of 203 characters"));
    }

    [Test]
    public void Check_LongNumberLiteral_IsViolation()
    {
        using JsonDocument document = JsonDocument.Parse("""{"n":""" + new string('9', 101) + "}");

        LimitViolation? violation = ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxStringLength = 100 });

        Assert.That(violation?.Path, Is.EqualTo("$.n"));
    }

    [TestCase("it's", @"$['it\'s']")]
    [TestCase("1st", "$['1st']")]
    [TestCase("_ok9", "$._ok9")]
    public void Check_PropertyNamesThatAreNotIdentifiers_AreBracketQuoted(string name, string path)
    {
        using JsonDocument document = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, string> { [name] = new string('x', 11) }));

        Assert.That(ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxStringLength = 10 })?.Path, Is.EqualTo(path));
    }

    [Test]
    public void Check_ArgumentCountExactlyAtLimit_Passes()
    {
        using JsonDocument document = JsonDocument.Parse(Members(64));

        Assert.That(ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits()), Is.Null);
    }

    [Test]
    public void Check_ArgumentCountOneOverLimit_IsViolationAtRoot()
    {
        using JsonDocument document = JsonDocument.Parse(Members(65));

        LimitViolation? violation = ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits());

        Assert.That(violation, Is.EqualTo(new LimitViolation("MaxArguments", "$", 65, 64, violation?.Message ?? "")));
    }

    [Test]
    public void Check_NestedMembers_DoNotCountAsArguments()
    {
        using JsonDocument document = JsonDocument.Parse($$"""{"inner":{{Members(100)}}}""");

        Assert.That(ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits()), Is.Null);
    }

    [TestCase(0, true)]
    [TestCase(1, false)]
    public void Check_BodyBytesAroundLimit_PassesOnlyUpToIt(int excess, bool passes)
    {
        string json = """{"data":"0123456789"}""";
        using JsonDocument document = JsonDocument.Parse(json);
        var limits = new ArgumentLimits { MaxRequestBodyBytes = Encoding.UTF8.GetByteCount(json) - excess };

        LimitViolation? violation = ArgumentLimitChecker.Check(document.RootElement, limits);

        Assert.That(violation is null, Is.EqualTo(passes));
        Assert.That(violation?.Limit, Is.EqualTo(passes ? null : "MaxRequestBodyBytes"));
    }

    [Test]
    public void Check_PassingArguments_AllocateNothingOnceWarm()
    {
        using JsonDocument document = JsonDocument.Parse("""{"path":"src/a.cs","filters":{"tags":["x","y"],"limit":10,"nested":[[{"a":"\u00e9t\u00e9"}]]}}""");
        var limits = new ArgumentLimits();
        ArgumentLimitChecker.Check(document.RootElement, limits);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            ArgumentLimitChecker.Check(document.RootElement, limits);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Check_NegativeLimit_ThrowsNamingIt()
    {
        using JsonDocument document = JsonDocument.Parse("{}");

        Assert.That(
            () => ArgumentLimitChecker.Check(document.RootElement, new ArgumentLimits { MaxDepth = -1 }),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("MaxDepth"));
    }

    private static string NestedObjects(int depth) =>
        string.Concat(Enumerable.Repeat("""{"n":""", depth - 1)) + "{}" + new string('}', depth - 1);

    private static string Tags(string fourth) => $$$"""{"filters":{"tags":["a","b","c","{{{fourth}}}"]}}""";

    private static string Members(int count) =>
        "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"a{i}\":{i}")) + "}";
}
