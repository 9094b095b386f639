namespace Gateway.Transforms.Validation.Cypher;

/// <summary>The Cypher keywords the validator reasons about; every other word is <see cref="None"/>.</summary>
internal enum CypherKeyword : byte
{
    None,

    // Read clauses and their parts.
    Match, Optional, With, Unwind, Return, Call, Yield, Union, All, Distinct, Where, As, Is, In,
    Exists, Count, Collect, Filter, Let, Finish, When, Then, Else, Next, And, Or, Xor, Not,
    Shortest, Any, Path, Paths, Groups, Elements, Relationships, Walk, Trail, Acyclic,

    // Query prefixes.
    Explain, Profile, Cypher,

    // Writes, external data and graph selection.
    Create, Merge, Delete, Detach, Nodetach, Set, Remove, Foreach, Insert, Load, Csv, Use, Transactions,

    // Administration verbs.
    Grant, Deny, Revoke, Drop, Alter, Show, Terminate, Enable, Deallocate, Reallocate, Rename, Dryrun, Start, Stop,

    // Administration nouns, used to name the rejected command.
    Database, Databases, Alias, Aliases, User, Users, Role, Roles, Index, Indexes, Constraint, Constraints,
    Server, Servers, Graph, Privilege, Privileges, Transaction, Procedures, Functions, Settings,
}
