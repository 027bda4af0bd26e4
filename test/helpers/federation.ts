import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

/** A second subgraph, as a helpdesk team would run it: tickets that only know their dialog's id. */
export const HELPDESK_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Query {
    tickets(first: Int!): [Ticket!]!
  }

  type Ticket @key(fields: "id") {
    id: ID!
    subject: String!
    dialog: Dialog
  }

  type Dialog @key(fields: "id", resolvable: false) {
    id: ID!
  }
`;

export interface Ticket {
  readonly id: string;
  readonly subject: string;
  readonly dialogId: string;
}

export interface Running {
  readonly url: string;
  close(): Promise<void>;
}

export async function startHelpdesk(tickets: readonly Ticket[]): Promise<Running> {
  const schema = buildSubgraphSchema({
    typeDefs: parse(HELPDESK_SDL),
    resolvers: {
      Query: { tickets: (_root: unknown, { first }: { first: number }) => tickets.slice(0, first) },
      Ticket: { dialog: (ticket: Ticket) => ({ __typename: 'Dialog', id: ticket.dialogId }) },
    },
  });
  const server = createServer(createYoga({ schema, logging: false, graphiql: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Subgraph {
  readonly name: string;
  readonly url: string;
  readonly sdl: string;
}

export function compose(subgraphs: readonly Subgraph[]) {
  return composeServices(
    subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
  );
}

interface GatewayContext {
  readonly authorization?: string;
  readonly portal?: string;
}

/**
 * A real Apollo Gateway (from npm) in this process, over a supergraph composed from the subgraphs'
 * SDL. It forwards the client's Authorization and X-Bitrix24-Domain headers to every subgraph, as
 * a gateway in front of this server must for OAuth pass-through and for multi-portal mode.
 */
export async function startGateway(subgraphs: readonly Subgraph[]): Promise<Running> {
  const composition = compose(subgraphs);
  if (composition.errors)
    throw new Error(
      `composition failed: ${composition.errors.map((error) => error.message).join('; ')}`,
    );
  const gateway = new ApolloGateway({
    supergraphSdl: composition.supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        ...(url ? { url } : {}),
        willSendRequest({ request, context }) {
          if (context.authorization)
            request.http?.headers.set('authorization', context.authorization);
          if (context.portal) request.http?.headers.set('x-bitrix24-domain', context.portal);
        },
      }),
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      const portal = req.headers['x-bitrix24-domain'];
      return {
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(typeof portal === 'string' ? { portal } : {}),
      };
    },
  });
  return { url, close: () => server.stop() };
}
