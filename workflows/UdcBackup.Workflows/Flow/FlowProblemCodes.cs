namespace UdcBackup.Workflows.Flow;

/// <summary>The codes a <see cref="FlowProblem"/> carries; clients may switch on them.</summary>
public static class FlowProblemCodes
{
    public const string Structure = "structure";
    public const string Schema = "schema";
    public const string BadId = "bad-id";
    public const string DuplicateId = "duplicate-id";
    public const string UnknownKind = "unknown-kind";
    public const string DanglingEdge = "dangling-edge";
    public const string Start = "start";
    public const string Cycle = "cycle";
    public const string UnreachableNode = "unreachable-node";
    public const string BadPort = "bad-port";
    public const string UnknownActivity = "unknown-activity";
    public const string MissingInput = "missing-input";
    public const string WrongType = "wrong-type";
    public const string UnknownInput = "unknown-input";
    public const string MissingBranch = "missing-branch";
    public const string FinallyWithoutCleanup = "finally-without-cleanup";
    public const string ParallelJoin = "parallel-join";
    public const string BadConfig = "bad-config";
    public const string BadExpression = "bad-expression";

    /// <summary>A script's environment sets a variable the disk agents refuse (a protected name, one outside the configured prefixes, a value that is not text or too long).</summary>
    public const string BadEnvironment = "bad-environment";
}
