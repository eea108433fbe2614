using System.Globalization;
using System.Text.Json;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// The flow expression language: references (<c>nodes.ID.output.NAME</c>, <c>vars.NAME</c>,
/// <c>flow.input.NAME</c>, each possibly followed by more <c>.field</c>s), literals (numbers,
/// <c>'text'</c>/<c>"text"</c>, true, false, null), <c>== != &lt; &lt;= &gt; &gt;=</c>,
/// <c>&amp;&amp; || !</c> and parentheses; no calls, no assignment. Parsed once by recursive
/// descent; evaluation is pure (the resolver supplies reference values), so the interpreter gets
/// the same value on replay. Errors are <see cref="FlowExpressionException"/> with the position.
/// </summary>
public sealed class FlowExpression
{
    private readonly Node _root;

    private FlowExpression(string text, Node root, List<IReadOnlyList<string>> references)
    {
        Text = text;
        _root = root;
        References = references;
    }

    public string Text { get; }

    /// <summary>Every reference path in the expression, split at dots (e.g. [nodes, open-1, output, windowId]).</summary>
    public IReadOnlyList<IReadOnlyList<string>> References { get; }

    public static FlowExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        var root = parser.ParseAll();
        return new FlowExpression(text, root, parser.References);
    }

    /// <summary>Evaluates with <paramref name="resolve"/> giving each reference's value (throw for an unknown one).</summary>
    public JsonElement Evaluate(Func<IReadOnlyList<string>, JsonElement> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        return _root.Evaluate(resolve);
    }

    /// <summary>Evaluates a condition: the value must be true or false.</summary>
    public bool IsTrue(Func<IReadOnlyList<string>, JsonElement> resolve)
    {
        var value = Evaluate(resolve);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FlowExpressionException($"'{Text}' must be true or false, got {value.GetRawText()}"),
        };
    }

    private static JsonElement Bool(bool value) => JsonSerializer.SerializeToElement(value);

    private abstract record Node
    {
        public abstract JsonElement Evaluate(Func<IReadOnlyList<string>, JsonElement> resolve);
    }

    private sealed record Literal(JsonElement Value) : Node
    {
        public override JsonElement Evaluate(Func<IReadOnlyList<string>, JsonElement> resolve) => Value;
    }

    private sealed record Reference(IReadOnlyList<string> Path) : Node
    {
        public override JsonElement Evaluate(Func<IReadOnlyList<string>, JsonElement> resolve) => resolve(Path);
    }

    private sealed record Not(Node Operand) : Node
    {
        public override JsonElement Evaluate(Func<IReadOnlyList<string>, JsonElement> resolve) => Bool(!AsBool(Operand.Evaluate(resolve), "!"));
    }

    private sealed record Binary(string Op, Node Left, Node Right) : Node
    {
        public override JsonElement Evaluate(Func<IReadOnlyList<string>, JsonElement> resolve)
        {
            if (Op == "&&")
            {
                return Bool(AsBool(Left.Evaluate(resolve), Op) && AsBool(Right.Evaluate(resolve), Op));
            }

            if (Op == "||")
            {
                return Bool(AsBool(Left.Evaluate(resolve), Op) || AsBool(Right.Evaluate(resolve), Op));
            }

            var a = Left.Evaluate(resolve);
            var b = Right.Evaluate(resolve);
            return Op switch
            {
                "==" => Bool(JsonElement.DeepEquals(Normal(a), Normal(b))),
                "!=" => Bool(!JsonElement.DeepEquals(Normal(a), Normal(b))),
                _ => Bool(Compare(a, b) switch
                {
                    var c when Op == "<" => c < 0,
                    var c when Op == "<=" => c <= 0,
                    var c when Op == ">" => c > 0,
                    var c => c >= 0,
                }),
            };
        }

        // 1 and 1.0 are equal: numbers compare by value.
        private static JsonElement Normal(JsonElement value) =>
            value.ValueKind == JsonValueKind.Number ? JsonSerializer.SerializeToElement(value.GetDecimal()) : value;

        private int Compare(JsonElement a, JsonElement b)
        {
            if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number)
            {
                return a.GetDecimal().CompareTo(b.GetDecimal());
            }

            if (a.ValueKind == JsonValueKind.String && b.ValueKind == JsonValueKind.String)
            {
                return string.CompareOrdinal(a.GetString(), b.GetString());
            }

            throw new FlowExpressionException($"'{Op}' compares two numbers or two texts, got {a.GetRawText()} and {b.GetRawText()}");
        }
    }

    private static bool AsBool(JsonElement value, string op) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new FlowExpressionException($"'{op}' needs true or false, got {value.GetRawText()}"),
    };

    private sealed class Parser(string text)
    {
        private int _pos;

        public List<IReadOnlyList<string>> References { get; } = [];

        public Node ParseAll()
        {
            Skip();
            if (_pos >= text.Length)
            {
                throw Error("the expression is empty");
            }

            var node = Or();
            Skip();
            return _pos < text.Length ? throw Error($"unexpected '{text[_pos]}'") : node;
        }

        private Node Or()
        {
            var left = And();
            while (Eat("||"))
            {
                left = new Binary("||", left, And());
            }

            return left;
        }

        private Node And()
        {
            var left = Comparison();
            while (Eat("&&"))
            {
                left = new Binary("&&", left, Comparison());
            }

            return left;
        }

        private Node Comparison()
        {
            var left = Unary();
            foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
            {
                if (Eat(op))
                {
                    return new Binary(op, left, Unary());
                }
            }

            return left;
        }

        private Node Unary()
        {
            if (Peek("!=") is false && Eat("!"))
            {
                return new Not(Unary());
            }

            return Primary();
        }

        private Node Primary()
        {
            Skip();
            if (_pos >= text.Length)
            {
                throw Error("the expression ends too early");
            }

            var c = text[_pos];
            if (Eat("("))
            {
                var inner = Or();
                return Eat(")") ? inner : throw Error("')' expected");
            }

            if (c is '\'' or '"')
            {
                var end = text.IndexOf(c, _pos + 1);
                if (end < 0)
                {
                    throw Error("the text is not closed");
                }

                var value = text[(_pos + 1)..end];
                _pos = end + 1;
                return new Literal(JsonSerializer.SerializeToElement(value));
            }

            if (char.IsDigit(c) || (c == '-' && _pos + 1 < text.Length && char.IsDigit(text[_pos + 1])))
            {
                var start = _pos++;
                while (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '.'))
                {
                    _pos++;
                }

                return decimal.TryParse(text[start.._pos], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                    ? new Literal(JsonSerializer.SerializeToElement(number))
                    : throw Error($"'{text[start.._pos]}' is not a number");
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '_' or '-' or '.'))
                {
                    _pos++;
                }

                var word = text[start.._pos];
                switch (word)
                {
                    case "true": return new Literal(Bool(true));
                    case "false": return new Literal(Bool(false));
                    case "null": return new Literal(JsonSerializer.SerializeToElement<object?>(null));
                }

                var path = word.Split('.');
                if (path.Any(p => p.Length == 0))
                {
                    throw Error($"'{word}' is not a reference (empty part)");
                }

                var valid = path[0] switch
                {
                    "nodes" => path.Length >= 3 && path[2] == "output",
                    "vars" => path.Length >= 2,
                    "flow" => path.Length >= 3 && path[1] == "input",
                    _ => false,
                };
                if (!valid)
                {
                    throw Error($"'{word}' is not a reference: use nodes.<id>.output.<name>, vars.<name> or flow.input.<name>");
                }

                References.Add(path);
                return new Reference(path);
            }

            throw Error($"unexpected '{c}'");
        }

        private bool? Peek(string token)
        {
            Skip();
            return string.CompareOrdinal(text, _pos, token, 0, token.Length) == 0;
        }

        private bool Eat(string token)
        {
            if (Peek(token) is true)
            {
                _pos += token.Length;
                return true;
            }

            return false;
        }

        private void Skip()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private FlowExpressionException Error(string what) => new($"{what} at position {_pos + 1} of '{text}'");
    }
}
