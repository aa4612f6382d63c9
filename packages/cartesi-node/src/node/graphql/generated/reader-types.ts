// Generated from @tt/cartesi-v1/reader.graphql by `pnpm --filter @tt/cartesi-node build`: do not edit.
/* eslint-disable */
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { InputRow, VoucherRow, NoticeRow, ReportRow, ProofRow } from '../../store/rows.js';
import type { ReaderContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  BigInt: { input: number | string; output: string; }
};

export type CompletionStatus =
  | 'ACCEPTED'
  | 'CYCLE_LIMIT_EXCEEDED'
  | 'EXCEPTION'
  | 'MACHINE_HALTED'
  | 'PAYLOAD_LENGTH_LIMIT_EXCEEDED'
  | 'REJECTED'
  | 'TIME_LIMIT_EXCEEDED'
  | 'UNPROCESSED';

/** Request submitted to the application to advance its state */
export type Input = {
  __typename?: 'Input';
  /** Number of the base layer block in which the input was recorded */
  blockNumber: Scalars['BigInt']['output'];
  /** Input index starting from genesis */
  index: Scalars['Int']['output'];
  /** Address responsible for submitting the input */
  msgSender: Scalars['String']['output'];
  /** Get notice from this particular input given the notice's index */
  notice: Notice;
  /** Get notices from this particular input with support for pagination */
  notices: NoticeConnection;
  /** Input payload in Ethereum hex binary format, starting with '0x' */
  payload: Scalars['String']['output'];
  /** Get report from this particular input given the report's index */
  report: Report;
  /** Get reports from this particular input with support for pagination */
  reports: ReportConnection;
  /** Status of the input */
  status: CompletionStatus;
  /** Timestamp associated with the input submission, as defined by the base layer's block in which it was recorded */
  timestamp: Scalars['BigInt']['output'];
  /** Get voucher from this particular input given the voucher's index */
  voucher: Voucher;
  /** Get vouchers from this particular input with support for pagination */
  vouchers: VoucherConnection;
};


/** Request submitted to the application to advance its state */
export type InputNoticeArgs = {
  index: Scalars['Int']['input'];
};


/** Request submitted to the application to advance its state */
export type InputNoticesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** Request submitted to the application to advance its state */
export type InputReportArgs = {
  index: Scalars['Int']['input'];
};


/** Request submitted to the application to advance its state */
export type InputReportsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** Request submitted to the application to advance its state */
export type InputVoucherArgs = {
  index: Scalars['Int']['input'];
};


/** Request submitted to the application to advance its state */
export type InputVouchersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** Pagination result */
export type InputConnection = {
  __typename?: 'InputConnection';
  /** Pagination entries returned for the current page */
  edges: Array<InputEdge>;
  /** Pagination metadata */
  pageInfo: PageInfo;
  /** Total number of entries that match the query */
  totalCount: Scalars['Int']['output'];
};

/** Pagination entry */
export type InputEdge = {
  __typename?: 'InputEdge';
  /** Pagination cursor */
  cursor: Scalars['String']['output'];
  /** Node instance */
  node: Input;
};

/** Filter object to restrict results depending on input properties */
export type InputFilter = {
  /** Filter only inputs with index greater than a given value */
  indexGreaterThan?: InputMaybe<Scalars['Int']['input']>;
  /** Filter only inputs with index lower than a given value */
  indexLowerThan?: InputMaybe<Scalars['Int']['input']>;
};

/** Informational statement that can be validated in the base layer blockchain */
export type Notice = {
  __typename?: 'Notice';
  /** Notice index within the context of the input that produced it */
  index: Scalars['Int']['output'];
  /** Input whose processing produced the notice */
  input: Input;
  /** Notice data as a payload in Ethereum hex binary format, starting with '0x' */
  payload: Scalars['String']['output'];
  /** Proof object that allows this notice to be validated by the base layer blockchain */
  proof?: Maybe<Proof>;
};

/** Pagination result */
export type NoticeConnection = {
  __typename?: 'NoticeConnection';
  /** Pagination entries returned for the current page */
  edges: Array<NoticeEdge>;
  /** Pagination metadata */
  pageInfo: PageInfo;
  /** Total number of entries that match the query */
  totalCount: Scalars['Int']['output'];
};

/** Pagination entry */
export type NoticeEdge = {
  __typename?: 'NoticeEdge';
  /** Pagination cursor */
  cursor: Scalars['String']['output'];
  /** Node instance */
  node: Notice;
};

/** Validity proof for an output */
export type OutputValidityProof = {
  __typename?: 'OutputValidityProof';
  /** Local input index within the context of the related epoch */
  inputIndexWithinEpoch: Scalars['Int']['output'];
  /** Hash of the machine state claimed for the related epoch, given in Ethereum hex binary format (32 bytes), starting with '0x' */
  machineStateHash: Scalars['String']['output'];
  /** Merkle root of all notice hashes of the related epoch, given in Ethereum hex binary format (32 bytes), starting with '0x' */
  noticesEpochRootHash: Scalars['String']['output'];
  /** Proof that this output hash is in the output-hashes merkle tree. This array of siblings is bottom-up ordered (from the leaf to the root). Each hash is given in Ethereum hex binary format (32 bytes), starting with '0x'. */
  outputHashInOutputHashesSiblings: Array<Scalars['String']['output']>;
  /** Proof that this output-hashes root hash is in epoch's output merkle tree. This array of siblings is bottom-up ordered (from the leaf to the root). Each hash is given in Ethereum hex binary format (32 bytes), starting with '0x'. */
  outputHashesInEpochSiblings: Array<Scalars['String']['output']>;
  /** Merkle root of all output hashes of the related input, given in Ethereum hex binary format (32 bytes), starting with '0x' */
  outputHashesRootHash: Scalars['String']['output'];
  /** Output index within the context of the input that produced it */
  outputIndexWithinInput: Scalars['Int']['output'];
  /** Merkle root of all voucher hashes of the related epoch, given in Ethereum hex binary format (32 bytes), starting with '0x' */
  vouchersEpochRootHash: Scalars['String']['output'];
};

/** Page metadata for the cursor-based Connection pagination pattern */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor pointing to the last entry of the page */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Indicates if there are additional entries after the end curs */
  hasNextPage: Scalars['Boolean']['output'];
  /** Indicates if there are additional entries before the start curs */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor pointing to the first entry of the page */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Data that can be used as proof to validate notices and execute vouchers on the base layer blockchain */
export type Proof = {
  __typename?: 'Proof';
  /** Data that allows the validity proof to be contextualized within submitted claims, given as a payload in Ethereum hex binary format, starting with '0x' */
  context: Scalars['String']['output'];
  /** Validity proof for an output */
  validity: OutputValidityProof;
};

/** Top level queries */
export type Query = {
  __typename?: 'Query';
  /** Get input based on its identifier */
  input: Input;
  /** Get inputs with support for pagination */
  inputs: InputConnection;
  /** Get notice based on its index */
  notice: Notice;
  /** Get notices with support for pagination */
  notices: NoticeConnection;
  /** Get report based on its index */
  report: Report;
  /** Get reports with support for pagination */
  reports: ReportConnection;
  /** Get voucher based on its index */
  voucher: Voucher;
  /** Get vouchers with support for pagination */
  vouchers: VoucherConnection;
};


/** Top level queries */
export type QueryInputArgs = {
  index: Scalars['Int']['input'];
};


/** Top level queries */
export type QueryInputsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  where?: InputMaybe<InputFilter>;
};


/** Top level queries */
export type QueryNoticeArgs = {
  inputIndex: Scalars['Int']['input'];
  noticeIndex: Scalars['Int']['input'];
};


/** Top level queries */
export type QueryNoticesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** Top level queries */
export type QueryReportArgs = {
  inputIndex: Scalars['Int']['input'];
  reportIndex: Scalars['Int']['input'];
};


/** Top level queries */
export type QueryReportsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** Top level queries */
export type QueryVoucherArgs = {
  inputIndex: Scalars['Int']['input'];
  voucherIndex: Scalars['Int']['input'];
};


/** Top level queries */
export type QueryVouchersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** Application log or diagnostic information */
export type Report = {
  __typename?: 'Report';
  /** Report index within the context of the input that produced it */
  index: Scalars['Int']['output'];
  /** Input whose processing produced the report */
  input: Input;
  /** Report data as a payload in Ethereum hex binary format, starting with '0x' */
  payload: Scalars['String']['output'];
};

/** Pagination result */
export type ReportConnection = {
  __typename?: 'ReportConnection';
  /** Pagination entries returned for the current page */
  edges: Array<ReportEdge>;
  /** Pagination metadata */
  pageInfo: PageInfo;
  /** Total number of entries that match the query */
  totalCount: Scalars['Int']['output'];
};

/** Pagination entry */
export type ReportEdge = {
  __typename?: 'ReportEdge';
  /** Pagination cursor */
  cursor: Scalars['String']['output'];
  /** Node instance */
  node: Report;
};

/** Representation of a transaction that can be carried out on the base layer blockchain, such as a transfer of assets */
export type Voucher = {
  __typename?: 'Voucher';
  /** Transaction destination address in Ethereum hex binary format (20 bytes), starting with '0x' */
  destination: Scalars['String']['output'];
  /** Voucher index within the context of the input that produced it */
  index: Scalars['Int']['output'];
  /** Input whose processing produced the voucher */
  input: Input;
  /** Transaction payload in Ethereum hex binary format, starting with '0x' */
  payload: Scalars['String']['output'];
  /** Proof object that allows this voucher to be validated and executed on the base layer blockchain */
  proof?: Maybe<Proof>;
};

/** Pagination result */
export type VoucherConnection = {
  __typename?: 'VoucherConnection';
  /** Pagination entries returned for the current page */
  edges: Array<VoucherEdge>;
  /** Pagination metadata */
  pageInfo: PageInfo;
  /** Total number of entries that match the query */
  totalCount: Scalars['Int']['output'];
};

/** Pagination entry */
export type VoucherEdge = {
  __typename?: 'VoucherEdge';
  /** Pagination cursor */
  cursor: Scalars['String']['output'];
  /** Node instance */
  node: Voucher;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  BigInt: ResolverTypeWrapper<Scalars['BigInt']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CompletionStatus: CompletionStatus;
  Input: ResolverTypeWrapper<InputRow>;
  InputConnection: ResolverTypeWrapper<Omit<InputConnection, 'edges'> & { edges: Array<ResolversTypes['InputEdge']> }>;
  InputEdge: ResolverTypeWrapper<Omit<InputEdge, 'node'> & { node: ResolversTypes['Input'] }>;
  InputFilter: InputFilter;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Notice: ResolverTypeWrapper<NoticeRow>;
  NoticeConnection: ResolverTypeWrapper<Omit<NoticeConnection, 'edges'> & { edges: Array<ResolversTypes['NoticeEdge']> }>;
  NoticeEdge: ResolverTypeWrapper<Omit<NoticeEdge, 'node'> & { node: ResolversTypes['Notice'] }>;
  OutputValidityProof: ResolverTypeWrapper<OutputValidityProof>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Proof: ResolverTypeWrapper<ProofRow>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Report: ResolverTypeWrapper<ReportRow>;
  ReportConnection: ResolverTypeWrapper<Omit<ReportConnection, 'edges'> & { edges: Array<ResolversTypes['ReportEdge']> }>;
  ReportEdge: ResolverTypeWrapper<Omit<ReportEdge, 'node'> & { node: ResolversTypes['Report'] }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Voucher: ResolverTypeWrapper<VoucherRow>;
  VoucherConnection: ResolverTypeWrapper<Omit<VoucherConnection, 'edges'> & { edges: Array<ResolversTypes['VoucherEdge']> }>;
  VoucherEdge: ResolverTypeWrapper<Omit<VoucherEdge, 'node'> & { node: ResolversTypes['Voucher'] }>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  BigInt: Scalars['BigInt']['output'];
  Boolean: Scalars['Boolean']['output'];
  Input: InputRow;
  InputConnection: Omit<InputConnection, 'edges'> & { edges: Array<ResolversParentTypes['InputEdge']> };
  InputEdge: Omit<InputEdge, 'node'> & { node: ResolversParentTypes['Input'] };
  InputFilter: InputFilter;
  Int: Scalars['Int']['output'];
  Notice: NoticeRow;
  NoticeConnection: Omit<NoticeConnection, 'edges'> & { edges: Array<ResolversParentTypes['NoticeEdge']> };
  NoticeEdge: Omit<NoticeEdge, 'node'> & { node: ResolversParentTypes['Notice'] };
  OutputValidityProof: OutputValidityProof;
  PageInfo: PageInfo;
  Proof: ProofRow;
  Query: Record<PropertyKey, never>;
  Report: ReportRow;
  ReportConnection: Omit<ReportConnection, 'edges'> & { edges: Array<ResolversParentTypes['ReportEdge']> };
  ReportEdge: Omit<ReportEdge, 'node'> & { node: ResolversParentTypes['Report'] };
  String: Scalars['String']['output'];
  Voucher: VoucherRow;
  VoucherConnection: Omit<VoucherConnection, 'edges'> & { edges: Array<ResolversParentTypes['VoucherEdge']> };
  VoucherEdge: Omit<VoucherEdge, 'node'> & { node: ResolversParentTypes['Voucher'] };
};

export interface BigIntScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['BigInt'], any> {
  name: 'BigInt';
}

export type InputResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['Input'] = ResolversParentTypes['Input']> = {
  blockNumber?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  msgSender?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  notice?: Resolver<ResolversTypes['Notice'], ParentType, ContextType, RequireFields<InputNoticeArgs, 'index'>>;
  notices?: Resolver<ResolversTypes['NoticeConnection'], ParentType, ContextType, Partial<InputNoticesArgs>>;
  payload?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  report?: Resolver<ResolversTypes['Report'], ParentType, ContextType, RequireFields<InputReportArgs, 'index'>>;
  reports?: Resolver<ResolversTypes['ReportConnection'], ParentType, ContextType, Partial<InputReportsArgs>>;
  status?: Resolver<ResolversTypes['CompletionStatus'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  voucher?: Resolver<ResolversTypes['Voucher'], ParentType, ContextType, RequireFields<InputVoucherArgs, 'index'>>;
  vouchers?: Resolver<ResolversTypes['VoucherConnection'], ParentType, ContextType, Partial<InputVouchersArgs>>;
};

export type InputConnectionResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['InputConnection'] = ResolversParentTypes['InputConnection']> = {
  edges?: Resolver<Array<ResolversTypes['InputEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type InputEdgeResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['InputEdge'] = ResolversParentTypes['InputEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Input'], ParentType, ContextType>;
};

export type NoticeResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['Notice'] = ResolversParentTypes['Notice']> = {
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  input?: Resolver<ResolversTypes['Input'], ParentType, ContextType>;
  payload?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  proof?: Resolver<Maybe<ResolversTypes['Proof']>, ParentType, ContextType>;
};

export type NoticeConnectionResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['NoticeConnection'] = ResolversParentTypes['NoticeConnection']> = {
  edges?: Resolver<Array<ResolversTypes['NoticeEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type NoticeEdgeResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['NoticeEdge'] = ResolversParentTypes['NoticeEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Notice'], ParentType, ContextType>;
};

export type OutputValidityProofResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['OutputValidityProof'] = ResolversParentTypes['OutputValidityProof']> = {
  inputIndexWithinEpoch?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  machineStateHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  noticesEpochRootHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outputHashInOutputHashesSiblings?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  outputHashesInEpochSiblings?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  outputHashesRootHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outputIndexWithinInput?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  vouchersEpochRootHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ProofResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['Proof'] = ResolversParentTypes['Proof']> = {
  context?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  validity?: Resolver<ResolversTypes['OutputValidityProof'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  input?: Resolver<ResolversTypes['Input'], ParentType, ContextType, RequireFields<QueryInputArgs, 'index'>>;
  inputs?: Resolver<ResolversTypes['InputConnection'], ParentType, ContextType, Partial<QueryInputsArgs>>;
  notice?: Resolver<ResolversTypes['Notice'], ParentType, ContextType, RequireFields<QueryNoticeArgs, 'inputIndex' | 'noticeIndex'>>;
  notices?: Resolver<ResolversTypes['NoticeConnection'], ParentType, ContextType, Partial<QueryNoticesArgs>>;
  report?: Resolver<ResolversTypes['Report'], ParentType, ContextType, RequireFields<QueryReportArgs, 'inputIndex' | 'reportIndex'>>;
  reports?: Resolver<ResolversTypes['ReportConnection'], ParentType, ContextType, Partial<QueryReportsArgs>>;
  voucher?: Resolver<ResolversTypes['Voucher'], ParentType, ContextType, RequireFields<QueryVoucherArgs, 'inputIndex' | 'voucherIndex'>>;
  vouchers?: Resolver<ResolversTypes['VoucherConnection'], ParentType, ContextType, Partial<QueryVouchersArgs>>;
};

export type ReportResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['Report'] = ResolversParentTypes['Report']> = {
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  input?: Resolver<ResolversTypes['Input'], ParentType, ContextType>;
  payload?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ReportConnectionResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['ReportConnection'] = ResolversParentTypes['ReportConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ReportEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ReportEdgeResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['ReportEdge'] = ResolversParentTypes['ReportEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Report'], ParentType, ContextType>;
};

export type VoucherResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['Voucher'] = ResolversParentTypes['Voucher']> = {
  destination?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  input?: Resolver<ResolversTypes['Input'], ParentType, ContextType>;
  payload?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  proof?: Resolver<Maybe<ResolversTypes['Proof']>, ParentType, ContextType>;
};

export type VoucherConnectionResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['VoucherConnection'] = ResolversParentTypes['VoucherConnection']> = {
  edges?: Resolver<Array<ResolversTypes['VoucherEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type VoucherEdgeResolvers<ContextType = ReaderContext, ParentType extends ResolversParentTypes['VoucherEdge'] = ResolversParentTypes['VoucherEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Voucher'], ParentType, ContextType>;
};

export type Resolvers<ContextType = ReaderContext> = {
  BigInt?: GraphQLScalarType;
  Input?: InputResolvers<ContextType>;
  InputConnection?: InputConnectionResolvers<ContextType>;
  InputEdge?: InputEdgeResolvers<ContextType>;
  Notice?: NoticeResolvers<ContextType>;
  NoticeConnection?: NoticeConnectionResolvers<ContextType>;
  NoticeEdge?: NoticeEdgeResolvers<ContextType>;
  OutputValidityProof?: OutputValidityProofResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Proof?: ProofResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Report?: ReportResolvers<ContextType>;
  ReportConnection?: ReportConnectionResolvers<ContextType>;
  ReportEdge?: ReportEdgeResolvers<ContextType>;
  Voucher?: VoucherResolvers<ContextType>;
  VoucherConnection?: VoucherConnectionResolvers<ContextType>;
  VoucherEdge?: VoucherEdgeResolvers<ContextType>;
};

