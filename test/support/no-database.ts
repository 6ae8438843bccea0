// Engine tests run without PostgreSQL: opening a connection from one is a mistake, made loud here.
import { Client, Pool } from 'pg';

const refuse = (): never => {
  throw new Error('An engine test tried to reach PostgreSQL; move it to test/ (the database project)');
};
Client.prototype.connect = refuse;
Pool.prototype.connect = refuse;
