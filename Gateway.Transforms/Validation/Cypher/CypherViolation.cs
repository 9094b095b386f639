namespace Gateway.Transforms.Validation.Cypher;

/// <summary>Categories of rejection; each has its own explanation for the caller.</summary>
internal enum CypherViolation : byte
{
    WriteClause,
    Administration,
    LoadCsv,
    GraphSelection,
    CallInTransactions,
    Procedure,
    DeniedProcedure,
    Function,
    MultipleStatements,
    ClientCommand,
    UnboundedVariableLength,
    VariableLengthAboveLimit,
    UnexpectedQueryStart,
    EmptyQuery,
    UnbalancedBracket,
    UnclosedBracket,
    NestingTooDeep,
    Lexical,
    InternalError,
}
