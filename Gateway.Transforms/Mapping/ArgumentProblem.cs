namespace Gateway.Transforms.Mapping;

/// <summary>Why one argument can't go where the tool's request template puts it; <see cref="Problem"/> follows "Argument 'x' ...".</summary>
public readonly record struct ArgumentProblem(string Argument, string Problem);
