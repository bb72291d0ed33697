/**
 * Private engines for tests on loopback: a PostgreSQL cluster, a Redis and an S3-compatible server, each started
 * by the test and removed by `stop()`. Where PostgreSQL or Redis is not installed the tests skip with a message,
 * except in CI (`CI=true`), where they fail.
 *
 * @module @dotbase/scale/testing
 */
export { engineAvailable, freePort } from './engines.js';
export { postgresAvailable, startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';
export { redisAvailable, startRedisServer, type RedisServer } from './redis-server.js';
export { startS3Server, type S3Environment, type S3Server } from './s3-server.js';
