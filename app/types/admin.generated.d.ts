/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type ShopDetailsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopDetailsQuery = { shop: (
    Pick<AdminTypes.Shop, 'name' | 'contactEmail' | 'ianaTimezone' | 'currencyCode'>
    & { primaryDomain: Pick<AdminTypes.Domain, 'url'>, shopAddress: Pick<AdminTypes.ShopAddress, 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2'> }
  ) };

export type ReportUnsubscribeMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.CustomerEmailMarketingConsentUpdateInput;
}>;


export type ReportUnsubscribeMutation = { customerEmailMarketingConsentUpdate?: AdminTypes.Maybe<{ customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, userErrors: Array<Pick<AdminTypes.CustomerEmailMarketingConsentUpdateUserError, 'field' | 'message' | 'code'>> }> };

export type BackfillStartMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type BackfillStartMutation = { bulkOperationRunQuery?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkOperationUserError, 'field' | 'message' | 'code'>> }> };

export type BackfillStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type BackfillStatusQuery = { bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'url'>> };

export type BackfillCustomersQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type BackfillCustomersQuery = { customers: { edges: Array<{ node: (
        Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName' | 'locale' | 'updatedAt'>
        & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress' | 'marketingState' | 'marketingUpdatedAt'>>, statistics: Pick<AdminTypes.CustomerStatistics, 'rfmGroup' | 'predictedSpendTier'> }
      ) }> } };

export type BackfillOrdersQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type BackfillOrdersQuery = { orders: { edges: Array<{ node: (
        Pick<AdminTypes.Order, 'id' | 'createdAt' | 'updatedAt' | 'cancelledAt' | 'discountCodes'>
        & { customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, lineItems: { edges: Array<{ node: { product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>> } }> } }
      ) }> } };

export type BackfillProductsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type BackfillProductsQuery = { products: { edges: Array<{ node: (
        Pick<AdminTypes.Product, 'id' | 'title' | 'handle' | 'status' | 'productType' | 'vendor' | 'publishedAt' | 'updatedAt'>
        & { featuredMedia?: AdminTypes.Maybe<{ preview?: AdminTypes.Maybe<{ image?: AdminTypes.Maybe<Pick<AdminTypes.Image, 'url'>> }> }>, collections: { edges: Array<{ node: Pick<AdminTypes.Collection, 'title'> }> }, variants: { edges: Array<{ node: (
              Pick<AdminTypes.ProductVariant, 'price' | 'availableForSale'>
              & { inventoryItem: { unitCost?: AdminTypes.Maybe<Pick<AdminTypes.MoneyV2, 'amount'>> } }
            ) }> } }
      ) }> } };

export type CreatePersonalCodeMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.DiscountCodeBasicInput;
}>;


export type CreatePersonalCodeMutation = { discountCodeBasicCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type CreatePersonalFreeShippingMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.DiscountCodeFreeShippingInput;
}>;


export type CreatePersonalFreeShippingMutation = { discountCodeFreeShippingCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type FindPersonalCodeQueryVariables = AdminTypes.Exact<{
  code: AdminTypes.Scalars['String']['input'];
}>;


export type FindPersonalCodeQuery = { codeDiscountNodeByCode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>> };

export type DeleteEndedCodesMutationVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type DeleteEndedCodesMutation = { discountCodeBulkDelete?: AdminTypes.Maybe<{ job?: AdminTypes.Maybe<Pick<AdminTypes.Job, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type FireFlowTriggerMutationVariables = AdminTypes.Exact<{
  handle: AdminTypes.Scalars['String']['input'];
  payload: AdminTypes.Scalars['JSON']['input'];
}>;


export type FireFlowTriggerMutation = { flowTriggerReceive?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type UpsertCampaignActivityMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.MarketingActivityUpsertExternalInput;
}>;


export type UpsertCampaignActivityMutation = { marketingActivityUpsertExternal?: AdminTypes.Maybe<{ marketingActivity?: AdminTypes.Maybe<Pick<AdminTypes.MarketingActivity, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.MarketingActivityUserError, 'field' | 'message' | 'code'>> }> };

export type ReportCampaignEngagementMutationVariables = AdminTypes.Exact<{
  marketingActivityId: AdminTypes.Scalars['ID']['input'];
  engagement: AdminTypes.MarketingEngagementInput;
}>;


export type ReportCampaignEngagementMutation = { marketingEngagementCreate?: AdminTypes.Maybe<{ marketingEngagement?: AdminTypes.Maybe<Pick<AdminTypes.MarketingEngagement, 'occurredOn'>>, userErrors: Array<Pick<AdminTypes.MarketingActivityUserError, 'field' | 'message' | 'code'>> }> };

interface GeneratedQueryTypes {
  "#graphql\n  query ShopDetails {\n    shop {\n      name\n      contactEmail\n      ianaTimezone\n      currencyCode\n      primaryDomain { url }\n      shopAddress {\n        company\n        address1\n        address2\n        city\n        province\n        provinceCode\n        zip\n        country\n        countryCodeV2\n      }\n    }\n  }": {return: ShopDetailsQuery, variables: ShopDetailsQueryVariables},
  "#graphql\n  query BackfillStatus($id: ID!) {\n    bulkOperation(id: $id) { id status errorCode objectCount url }\n  }": {return: BackfillStatusQuery, variables: BackfillStatusQueryVariables},
  "#graphql\n  query BackfillCustomers {\n    customers {\n      edges {\n        node {\n          id\n          firstName\n          lastName\n          locale\n          updatedAt\n          defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }\n          statistics { rfmGroup predictedSpendTier }\n        }\n      }\n    }\n  }": {return: BackfillCustomersQuery, variables: BackfillCustomersQueryVariables},
  "#graphql\n  query BackfillOrders {\n    orders {\n      edges {\n        node {\n          id\n          createdAt\n          updatedAt\n          cancelledAt\n          customer { id }\n          totalPriceSet { shopMoney { amount currencyCode } }\n          totalRefundedSet { shopMoney { amount } }\n          discountCodes\n          lineItems { edges { node { product { id } } } }\n        }\n      }\n    }\n  }": {return: BackfillOrdersQuery, variables: BackfillOrdersQueryVariables},
  "#graphql\n  query BackfillProducts {\n    products {\n      edges {\n        node {\n          id\n          title\n          handle\n          status\n          productType\n          vendor\n          publishedAt\n          updatedAt\n          featuredMedia { preview { image { url } } }\n          collections { edges { node { title } } }\n          variants { edges { node { price availableForSale inventoryItem { unitCost { amount } } } } }\n        }\n      }\n    }\n  }": {return: BackfillProductsQuery, variables: BackfillProductsQueryVariables},
  "#graphql\n  query FindPersonalCode($code: String!) {\n    codeDiscountNodeByCode(code: $code) { id }\n  }": {return: FindPersonalCodeQuery, variables: FindPersonalCodeQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation ReportUnsubscribe($input: CustomerEmailMarketingConsentUpdateInput!) {\n    customerEmailMarketingConsentUpdate(input: $input) {\n      customer { id }\n      userErrors { field message code }\n    }\n  }": {return: ReportUnsubscribeMutation, variables: ReportUnsubscribeMutationVariables},
  "#graphql\n  mutation BackfillStart($query: String!) {\n    bulkOperationRunQuery(query: $query, groupObjects: true) {\n      bulkOperation { id status }\n      userErrors { field message code }\n    }\n  }": {return: BackfillStartMutation, variables: BackfillStartMutationVariables},
  "#graphql\n  mutation CreatePersonalCode($input: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $input) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }": {return: CreatePersonalCodeMutation, variables: CreatePersonalCodeMutationVariables},
  "#graphql\n  mutation CreatePersonalFreeShipping($input: DiscountCodeFreeShippingInput!) {\n    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $input) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }": {return: CreatePersonalFreeShippingMutation, variables: CreatePersonalFreeShippingMutationVariables},
  "#graphql\n  mutation DeleteEndedCodes($ids: [ID!]!) {\n    discountCodeBulkDelete(ids: $ids) {\n      job { id }\n      userErrors { field message code }\n    }\n  }": {return: DeleteEndedCodesMutation, variables: DeleteEndedCodesMutationVariables},
  "#graphql\n  mutation FireFlowTrigger($handle: String!, $payload: JSON!) {\n    flowTriggerReceive(handle: $handle, payload: $payload) {\n      userErrors { field message }\n    }\n  }": {return: FireFlowTriggerMutation, variables: FireFlowTriggerMutationVariables},
  "#graphql\n  mutation UpsertCampaignActivity($input: MarketingActivityUpsertExternalInput!) {\n    marketingActivityUpsertExternal(input: $input) {\n      marketingActivity { id status }\n      userErrors { field message code }\n    }\n  }": {return: UpsertCampaignActivityMutation, variables: UpsertCampaignActivityMutationVariables},
  "#graphql\n  mutation ReportCampaignEngagement($marketingActivityId: ID!, $engagement: MarketingEngagementInput!) {\n    marketingEngagementCreate(marketingActivityId: $marketingActivityId, marketingEngagement: $engagement) {\n      marketingEngagement { occurredOn }\n      userErrors { field message code }\n    }\n  }": {return: ReportCampaignEngagementMutation, variables: ReportCampaignEngagementMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
