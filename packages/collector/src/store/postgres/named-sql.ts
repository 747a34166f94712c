/**
 * A statement written with `@name` parameters (as the SQLite store's are), turned into
 * PostgreSQL's positional `$n` once; each name is one parameter however often it appears.
 */
export interface NamedSql {
  text: string;
  values(params: object): unknown[];
}

export function namedSql(sql: string): NamedSql {
  const names: string[] = [];
  const text = sql.replace(/@([a-zA-Z_][a-zA-Z0-9_]*)/g, (_, name: string) => {
    let index = names.indexOf(name);
    if (index === -1) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return {
    text,
    values: (params: object) =>
      names.map((name) => {
        if (!(name in params)) throw new Error(`parameter @${name} not given`);
        return (params as Record<string, unknown>)[name];
      }),
  };
}
