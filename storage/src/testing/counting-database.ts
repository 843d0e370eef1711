import type { Database } from '../database.ts';

/** `db` with every read's SQL recorded in `statements`: tests tell which queries a reader ran. */
export function countingDatabase(db: Database): { db: Database; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    db: {
      ...db,
      query: (statement, settings) => {
        statements.push(statement.render().query);
        return db.query(statement, settings);
      },
    },
  };
}
