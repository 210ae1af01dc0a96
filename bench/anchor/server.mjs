// The anchor of `make bench-anchor`: the Neo4j GraphQL Library (@neo4j/graphql)
// on Apollo Server, over the same Neo4j and graph as the API. Its type
// definitions map to the labels, properties and relationship types the API
// stores (internal/commissioning/entity.go), for the entities the benchmark
// reads.
//
//   NEO4J_URI=bolt://127.0.0.1:7689 NEO4J_PASSWORD=... PORT=18301 WORKERS=1 node server.mjs
//
// WORKERS is the number of Node processes that serve: 1 (the default) serves
// from this process; N > 1 forks N workers through node:cluster, sharing the
// port; "auto" forks one per core.
import cluster from "node:cluster";
import os from "node:os";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const env = (k, d) => process.env[k] || d;
const port = Number(env("PORT", "18301"));
let workers = env("WORKERS", "1");
workers = workers === "auto" ? os.availableParallelism() : Number(workers);

// Ids are the string property id, dates are Neo4j Dates, and every type is
// the label the API writes. A relationship's direction is as the API stores
// it: (service)-[:COMMISSIONED_BY]->(authority), (provider)-[:HOLDS_CONTRACT]->(contract) ...
// The search index is the API's own, entity_text over every label; the
// library queries it for one type and keeps the nodes of that label.
export const typeDefs = /* GraphQL */ `
  type Authority @node(labels: ["Authority"])
    @fulltext(indexes: [{ indexName: "entity_text", queryName: "authoritiesFulltext", fields: ["name"] }]) {
    id: ID!
    name: String!
    kind: String
    synthetic: Boolean!
    rules: [Rule!]! @relationship(type: "HAS_RULE", direction: OUT)
    departments: [Department!]! @relationship(type: "PART_OF", direction: IN)
    teams: [Team!]! @relationship(type: "PART_OF", direction: IN)
    services: [Service!]! @relationship(type: "COMMISSIONED_BY", direction: IN)
    contracts: [Contract!]! @relationship(type: "BOUGHT_BY", direction: IN)
  }

  type Rule @node(labels: ["Rule"]) {
    id: ID!
    name: String!
    kind: String!
    text: String!
    monthsBeforeEnd: Int
    synthetic: Boolean!
    authority: Authority @relationship(type: "HAS_RULE", direction: IN)
  }

  type Department @node(labels: ["Department"]) {
    id: ID!
    name: String!
    fullName: String
    synthetic: Boolean!
    authority: Authority @relationship(type: "PART_OF", direction: OUT)
  }

  type Team @node(labels: ["Team"]) {
    id: ID!
    name: String!
    description: String
    launched: String
    synthetic: Boolean!
    authority: Authority @relationship(type: "PART_OF", direction: OUT)
    services: [Service!]! @relationship(type: "INTEGRATED_INTO", direction: IN)
  }

  type Service @node(labels: ["Service"]) {
    id: ID!
    name: String!
    shortName: String
    serviceType: String
    description: String
    eligibility: String
    marketNote: String
    deliveryModel: String
    synthetic: Boolean!
    authority: Authority @relationship(type: "COMMISSIONED_BY", direction: OUT)
    team: Team @relationship(type: "INTEGRATED_INTO", direction: OUT)
    contracts: [Contract!]! @relationship(type: "FOR_SERVICE", direction: IN)
  }

  type Provider @node(labels: ["Provider"]) {
    id: ID!
    name: String!
    sector: String
    synthetic: Boolean!
    contracts: [Contract!]! @relationship(type: "HOLDS_CONTRACT", direction: OUT)
  }

  type Contract @node(labels: ["Contract"]) {
    id: ID!
    ocid: String
    title: String!
    description: String
    status: String
    startDate: Date
    endDate: Date
    durationMonths: Int
    value: Float
    currency: String
    procurementMethod: String
    procurementMethodRationale: String
    releaseDate: DateTime
    synthetic: Boolean!
    provider: Provider @relationship(type: "HOLDS_CONTRACT", direction: IN)
    service: Service @relationship(type: "FOR_SERVICE", direction: OUT)
    buyer: Authority @relationship(type: "BOUGHT_BY", direction: OUT)
    predecessor: Contract @relationship(type: "SUCCEEDS", direction: OUT)
    successor: Contract @relationship(type: "SUCCEEDS", direction: IN)
  }
`;

async function serve() {
  const driver = neo4j.driver(
    env("NEO4J_URI", "bolt://127.0.0.1:7687"),
    neo4j.auth.basic(env("NEO4J_USER", "neo4j"), env("NEO4J_PASSWORD", "commissioning-dev")),
    // The same pool size as neo4j-go-driver's default.
    { maxConnectionPoolSize: 100 },
  );
  const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
  const server = new ApolloServer({ schema, includeStacktraceInErrorResponses: false });
  const { url } = await startStandaloneServer(server, { listen: { port, host: "127.0.0.1" } });
  console.log(`anchor: pid ${process.pid} serving ${url}`);
  const stop = async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (workers > 1 && cluster.isPrimary) {
  console.log(`anchor: primary ${process.pid}, ${workers} workers`);
  for (let i = 0; i < workers; i++) cluster.fork();
  let stopping = false;
  cluster.on("exit", (w, code) => {
    if (!stopping) {
      console.error(`anchor: worker ${w.process.pid} exited (${code})`);
      process.exit(1);
    }
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers)) w.kill("SIGTERM");
    setTimeout(() => process.exit(0), 5000).unref();
    cluster.on("exit", () => Object.keys(cluster.workers).length === 0 && process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  serve().catch((err) => {
    console.error("anchor:", err);
    process.exit(1);
  });
}
