"""The graph schema, the NetworkX builder, the embedded Cypher engine, the Neo4j store and the exporters."""
