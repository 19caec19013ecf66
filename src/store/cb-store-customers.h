/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Customers, their contacts and licences, and the price list (a price for
 * an item, for every customer or for one).  Amounts are in cents (fen).
 */

typedef struct
{
  gint64  id;
  char   *name;
  char   *address;
  char   *phone;
  char   *credit_code;  /* unified social credit code, 18 characters */
} CbCustomer;

typedef struct
{
  gint64  id;
  gint64  customer_id;
  char   *name;
  char   *phone;
  char   *email;
} CbContact;

typedef struct
{
  gint64  id;
  gint64  customer_id;
  char   *kind;         /* e.g. 营业执照, 排污许可证 */
  char   *number;
  char   *valid_until;  /* NULL: no expiry */
} CbLicence;

typedef struct
{
  gint64  id;
  char   *item;
  gint64  method_id;    /* 0: any method */
  gint64  customer_id;  /* 0: every customer */
  gint64  amount_cents;
  char   *currency;
  char   *valid_from;
} CbPrice;

void         cb_customer_free           (CbCustomer   *customer);
void         cb_contact_free            (CbContact    *contact);
void         cb_licence_free            (CbLicence    *licence);
void         cb_price_free              (CbPrice      *price);

/* @credit_code, when given: 18 digits or capital letters. */
gint64       cb_store_customer_add      (CbStore      *store,
                                         const char   *name,
                                         const char   *address,
                                         const char   *phone,
                                         const char   *credit_code,
                                         GError      **error);
CbCustomer  *cb_store_customer_get      (CbStore      *store,
                                         gint64        customer_id,
                                         GError      **error);
/* CbCustomer by name; @name_part, when set, filters by a part of the name. */
GPtrArray   *cb_store_customer_list     (CbStore      *store,
                                         const char   *name_part,
                                         GError      **error);

gint64       cb_store_contact_add       (CbStore      *store,
                                         gint64        customer_id,
                                         const char   *name,
                                         const char   *phone,
                                         const char   *email,
                                         GError      **error);
GPtrArray   *cb_store_contact_list      (CbStore      *store,
                                         gint64        customer_id,
                                         GError      **error);

gint64       cb_store_licence_add       (CbStore      *store,
                                         gint64        customer_id,
                                         const char   *kind,
                                         const char   *number,
                                         const char   *valid_until,
                                         GError      **error);
GPtrArray   *cb_store_licence_list      (CbStore      *store,
                                         gint64        customer_id,
                                         GError      **error);

gint64       cb_store_price_add         (CbStore      *store,
                                         const char   *item,
                                         gint64        method_id,
                                         gint64        customer_id,
                                         gint64        amount_cents,
                                         const char   *valid_from,
                                         GError      **error);
/* Every price of @item (all items when NULL), newest first. */
GPtrArray   *cb_store_price_list        (CbStore      *store,
                                         const char   *item,
                                         GError      **error);
/* The price of @item for @customer_id on @date (YYYY-MM-DD, NULL: today):
 * the customer's own price before the general one, the latest valid_from
 * on or before @date.  NOT_FOUND when the item has no price. */
CbPrice     *cb_store_price_lookup      (CbStore      *store,
                                         const char   *item,
                                         gint64        customer_id,
                                         const char   *date,
                                         GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbCustomer, cb_customer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbContact, cb_contact_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbLicence, cb_licence_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbPrice, cb_price_free)

G_END_DECLS
