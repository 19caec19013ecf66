/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "store/cb-store-audit.h"
#include "store/cb-store-sync.h"

G_BEGIN_DECLS

/*
 * What the benches and the server say to each other, as JSON.  A change is
 * one audit entry of a bench's chain with its hash; its id is the bench's
 * workstation and the entry's sequence number.  A batch carries a bench's
 * changes in chain order, its chain head, and where rows it pulled are on
 * the server.  Acks answer a batch change by change.  A pull page carries
 * the server's own chain after a cursor.
 *
 * Decoding is strict: every member is checked for its type and range,
 * unknown members are refused, and an error names the member
 * ("changes[3].seq: expected a positive integer").
 */

#define CB_SYNC_ERROR (cb_sync_error_quark ())

typedef enum
{
  CB_SYNC_ERROR_MALFORMED,     /* not JSON, or not what was expected: names the member */
  CB_SYNC_ERROR_TOO_LARGE,
  CB_SYNC_ERROR_GAP,           /* a batch starts after changes the server never got */
  CB_SYNC_ERROR_DIVERGED,      /* the bench's chain went backwards (an old database restored) */
  CB_SYNC_ERROR_TAMPERED,      /* a change does not hash to what the chain says */
  CB_SYNC_ERROR_UNAUTHORISED,  /* no token, or an expired or revoked one */
  CB_SYNC_ERROR_FORBIDDEN,     /* the token's role or bench may not do this */
  CB_SYNC_ERROR_NOT_FOUND,
  CB_SYNC_ERROR_NETWORK,       /* the server cannot be reached */
  CB_SYNC_ERROR_SERVER,        /* the server failed or answered something else */
} CbSyncError;

/* The most changes a batch or a page holds, and the deepest JSON accepted. */
#define CB_SYNC_MAX_CHANGES 5000
#define CB_SYNC_MAX_DEPTH   32

typedef struct
{
  CbAuditEntry *entry;
  char         *hash;        /* 64 hex digits */
} CbSyncChange;

typedef struct
{
  char      *workstation;
  gint64     head;           /* the bench's last audit entry */
  GPtrArray *changes;        /* CbSyncChange, in chain order */
  GPtrArray *rows;           /* CbSyncRowMap: peer_row = server row, local_row = bench row */
} CbSyncBatch;

typedef struct
{
  gint64  seq;
  char   *status;            /* applied, echo, conflict or refused */
  gint64  server_row;
  char   *detail;
} CbSyncAck;

typedef struct
{
  GPtrArray *acks;           /* CbSyncAck */
  gint64     server_seq;     /* the server's chain head after the batch */
} CbSyncAcks;

typedef struct
{
  GPtrArray *changes;        /* CbSyncChange of the server's chain */
  gint64     next;           /* the cursor for the next page */
  gboolean   more;
} CbSyncPage;

GQuark        cb_sync_error_quark     (void);

CbSyncChange *cb_sync_change_new      (CbAuditEntry       *entry,
                                       const char         *hash);
void          cb_sync_change_free     (CbSyncChange       *change);
CbSyncBatch  *cb_sync_batch_new       (const char         *workstation);
void          cb_sync_batch_free      (CbSyncBatch        *batch);
void          cb_sync_ack_free        (CbSyncAck          *ack);
CbSyncAcks   *cb_sync_acks_new        (void);
void          cb_sync_acks_free       (CbSyncAcks         *acks);
CbSyncPage   *cb_sync_page_new        (void);
void          cb_sync_page_free       (CbSyncPage         *page);

/* Parses @data as a JSON object, refusing input nested deeper than
 * CB_SYNC_MAX_DEPTH. */
JsonObject   *cb_sync_parse_object    (const char         *data,
                                       gsize               length,
                                       GError            **error);
/* Checks that @object has no member but @allowed (NULL-terminated). */
gboolean      cb_sync_check_members   (JsonObject         *object,
                                       const char * const *allowed,
                                       const char         *where,
                                       GError            **error);
/* A member's string; NULL is accepted only when @nullable. */
gboolean      cb_sync_get_string      (JsonObject         *object,
                                       const char         *member,
                                       const char         *where,
                                       gboolean            nullable,
                                       const char        **value,
                                       GError            **error);
gboolean      cb_sync_get_int         (JsonObject         *object,
                                       const char         *member,
                                       const char         *where,
                                       gint64              minimum,
                                       gint64             *value,
                                       GError            **error);

JsonNode     *cb_sync_change_to_json  (const CbSyncChange *change);
CbSyncChange *cb_sync_change_from_json (JsonNode          *node,
                                       const char         *where,
                                       GError            **error);

char         *cb_sync_batch_encode    (const CbSyncBatch  *batch);
CbSyncBatch  *cb_sync_batch_decode    (const char         *data,
                                       gsize               length,
                                       GError            **error);
char         *cb_sync_acks_encode     (const CbSyncAcks   *acks);
CbSyncAcks   *cb_sync_acks_decode     (const char         *data,
                                       gsize               length,
                                       GError            **error);
char         *cb_sync_page_encode     (const CbSyncPage   *page);
CbSyncPage   *cb_sync_page_decode     (const char         *data,
                                       gsize               length,
                                       GError            **error);

/* {"accounts": [{"login", "hash", "salt" (hex), "iterations", "locked_until"}]}:
 * the credentials an enrolling bench takes (CbCredentials of cb-store-accounts.h). */
char         *cb_sync_credentials_encode (GPtrArray       *credentials);
GPtrArray    *cb_sync_credentials_decode (const char      *data,
                                       gsize               length,
                                       GError            **error);

/* {"error": {"code": CODE, "message": MESSAGE}}: what the server answers
 * on failure, and the GError it means on the client. */
char         *cb_sync_error_encode    (const char         *code,
                                       const char         *message);
/* Fills @error from an error body; @status is the HTTP status. */
void          cb_sync_error_decode    (const char         *data,
                                       gsize               length,
                                       guint               status,
                                       GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSyncChange, cb_sync_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSyncBatch, cb_sync_batch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSyncAck, cb_sync_ack_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSyncAcks, cb_sync_acks_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSyncPage, cb_sync_page_free)

G_END_DECLS
