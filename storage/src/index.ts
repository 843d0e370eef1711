export * from './sql.ts';
export * from './database.ts';
export * from './migrate.ts';
export * from './attributes.ts';
export * from './time.ts';
export * from './spans-writer.ts';
export * from './traces-reader.ts';
export * from './projects.ts';
