"""The Zonos GraphQL side: the schema, its resolvers, and the /graphql handler."""
