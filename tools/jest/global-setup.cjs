// Integration tests get their own MariaDB schema and Redis key prefix per run (see libs/testing).
module.exports = async () => {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  process.env.APPCONDA_TEST_RUN = id;
};
