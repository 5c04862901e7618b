// Runs once, when the mongo container initialises an empty data volume
// (the official image executes /docker-entrypoint-initdb.d/*.js with mongosh,
// authenticated as the root user). Creates the least-privilege user that
// kongblog connects as: readWrite on its own database only.
// Credentials come from the container environment, never from this file.

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} must be set to create the kongblog application user`);
  }
  return value;
}

const dbName = required("MONGO_DATABASE");
const appDb = db.getSiblingDB(dbName);

appDb.createUser({
  user: required("MONGO_APP_USERNAME"),
  pwd: required("MONGO_APP_PASSWORD"),
  roles: [{ role: "readWrite", db: dbName }],
});

print(`kongblog: created application user in database ${dbName}`);
