/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "cb-server.h"

G_BEGIN_DECLS

/* The store's actor and workstation for the server's own writes. */
#define CB_SERVER_ACTOR       "server"
#define CB_SERVER_WORKSTATION "calbench-server"

struct _CbServer
{
  GObject                  parent_instance;

  CbServerConfig          *config;
  CbStore                 *store;
  SoupServer              *soup;
  GTlsCertificate         *certificate;
  guint                    port;

  GHashTable              *buckets;   /* client address → RateBucket, for the public pages */

  CbCertificateRenderFunc  render;
  gpointer                 render_data;
  GDestroyNotify           render_destroy;
};

/* Answers with a JSON body. */
void      cb_server_reply_json   (SoupServerMessage *msg,
                                  guint              status,
                                  const char        *body);
void      cb_server_reply_error  (SoupServerMessage *msg,
                                  guint              status,
                                  const char        *code,
                                  const char        *message);

/* The public pages (cb-server-public.c). */
void      cb_server_add_public   (CbServer          *self);

G_END_DECLS
