/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "cb-modbus.h"
#include "cb-sim-private.h"

/* A pause that ends a Modbus RTU frame: far above 3.5 characters at any
 * baud rate, far below a master's timeout. */
#define RTU_SILENCE_US (50 * 1000)

/* An instrument's error queue holds this many entries. */
#define MAX_ERRORS 20

/* One served line or socket. */
typedef struct
{
  int      fd;
  gboolean is_socket;
} Connection;

typedef enum
{
  SERVE_MORE,
  SERVE_HANG_UP,
  SERVE_FAILED,
} ServeStatus;

static const CbSimModel * const models[] = {
  [CB_SIM_DMM] = &cb_sim_dmm_model,
  [CB_SIM_CALIBRATOR] = &cb_sim_calibrator_model,
  [CB_SIM_PRESSURE] = &cb_sim_pressure_model,
  [CB_SIM_THERMOHYGROMETER] = &cb_sim_thermohygrometer_model,
};

static const char * const fault_names[] = {
  [CB_SIM_FAULT_NONE] = "none",
  [CB_SIM_FAULT_GARBAGE] = "garbage",
  [CB_SIM_FAULT_STALL] = "stall",
  [CB_SIM_FAULT_DISCONNECT] = "disconnect",
  [CB_SIM_FAULT_BAD_CRC] = "bad-crc",
};

CbSim *
cb_sim_new (CbSimKind kind,
            guint32   seed)
{
  CbSim *sim;

  g_return_val_if_fail (kind < G_N_ELEMENTS (models), NULL);

  sim = g_new0 (CbSim, 1);
  sim->kind = kind;
  sim->model = models[kind];
  g_mutex_init (&sim->lock);
  sim->rand = g_rand_new_with_seed (seed);
  sim->start_us = g_get_monotonic_time ();
  sim->input = 1.0;
  sim->room = 23.0;
  sim->fault.probability = 1.0;
  g_queue_init (&sim->errors);
  sim->state = sim->model->state_new (sim);
  return sim;
}

void
cb_sim_free (CbSim *sim)
{
  if (sim == NULL)
    return;
  sim->model->state_free (sim->state);
  g_queue_clear_full (&sim->errors, g_free);
  g_rand_free (sim->rand);
  g_mutex_clear (&sim->lock);
  g_free (sim);
}

CbSimKind
cb_sim_get_kind (CbSim *sim)
{
  return sim->kind;
}

const char *
cb_sim_kind_to_name (CbSimKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (models), NULL);
  return models[kind]->name;
}

gboolean
cb_sim_kind_from_name (const char *name,
                       CbSimKind  *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (g_strcmp0 (name, models[i]->name) == 0)
      {
        *kind = (CbSimKind) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
cb_sim_fault_kind_from_name (const char     *name,
                             CbSimFaultKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (g_strcmp0 (name, fault_names[i]) == 0)
      {
        *kind = (CbSimFaultKind) i;
        return TRUE;
      }
  return FALSE;
}

void
cb_sim_set_fault (CbSim            *sim,
                  const CbSimFault *fault)
{
  g_mutex_lock (&sim->lock);
  sim->fault = *fault;
  sim->n_faults = 0;
  sim->n_replies = 0;
  g_mutex_unlock (&sim->lock);
}

void
cb_sim_set_room_temperature (CbSim  *sim,
                             double  celsius)
{
  g_return_if_fail (sim != NULL);

  g_mutex_lock (&sim->lock);
  sim->room = celsius;
  g_mutex_unlock (&sim->lock);
}

void
cb_sim_set_input (CbSim  *sim,
                  double  value)
{
  g_mutex_lock (&sim->lock);
  sim->input = value;
  g_mutex_unlock (&sim->lock);
}

void
cb_sim_connect (CbSim *sim,
                CbSim *source)
{
  g_return_if_fail (source != sim);

  g_mutex_lock (&sim->lock);
  sim->source = source;
  g_mutex_unlock (&sim->lock);
}

/* Called with @sim locked; a source never locks the simulator it feeds. */
double
cb_sim_input (CbSim *sim)
{
  double value;

  if (sim->source == NULL)
    return sim->input;
  g_mutex_lock (&sim->source->lock);
  value = 0;
  if (sim->source->model->output_on != NULL && sim->source->model->output_on (sim->source))
    value = sim->source->model->output_value (sim->source);
  g_mutex_unlock (&sim->source->lock);
  return value;
}

void
cb_sim_advance (CbSim  *sim,
                double  seconds)
{
  g_mutex_lock (&sim->lock);
  sim->advanced += seconds;
  g_mutex_unlock (&sim->lock);
}

gboolean
cb_sim_get_output_on (CbSim *sim)
{
  gboolean on = FALSE;

  g_mutex_lock (&sim->lock);
  if (sim->model->output_on != NULL)
    on = sim->model->output_on (sim);
  g_mutex_unlock (&sim->lock);
  return on;
}

double
cb_sim_get_output_value (CbSim *sim)
{
  double value = NAN;

  g_mutex_lock (&sim->lock);
  if (sim->model->output_value != NULL)
    value = sim->model->output_value (sim);
  g_mutex_unlock (&sim->lock);
  return value;
}

guint
cb_sim_get_n_commands (CbSim *sim)
{
  guint n;

  g_mutex_lock (&sim->lock);
  n = sim->n_commands;
  g_mutex_unlock (&sim->lock);
  return n;
}

guint
cb_sim_get_n_faults (CbSim *sim)
{
  guint n;

  g_mutex_lock (&sim->lock);
  n = sim->n_faults;
  g_mutex_unlock (&sim->lock);
  return n;
}

double
cb_sim_now (CbSim *sim)
{
  return (double) (g_get_monotonic_time () - sim->start_us) / G_USEC_PER_SEC + sim->advanced;
}

double
cb_sim_gauss (CbSim  *sim,
              double  sigma)
{
  /* Box–Muller; the generator gives (0, 1] after the shift. */
  double u1 = 1.0 - g_rand_double (sim->rand);
  double u2 = g_rand_double (sim->rand);

  return sigma * sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

void
cb_sim_push_error (CbSim      *sim,
                   int         code,
                   const char *text)
{
  if (g_queue_get_length (&sim->errors) >= MAX_ERRORS)
    {
      g_free (g_queue_pop_tail (&sim->errors));
      g_queue_push_tail (&sim->errors, g_strdup ("-350,\"Queue overflow\""));
      return;
    }
  g_queue_push_tail (&sim->errors, g_strdup_printf ("%+d,\"%s\"", code, text));
}

char *
cb_sim_pop_error (CbSim      *sim,
                  const char *no_error)
{
  char *entry = g_queue_pop_head (&sim->errors);

  return entry != NULL ? entry : g_strdup (no_error);
}

/* Whether the next reply is hit by a fault, and by which. */
static CbSimFaultKind
next_fault (CbSim *sim)
{
  sim->n_replies++;
  if (sim->fault.kind == CB_SIM_FAULT_NONE || sim->n_replies <= sim->fault.after)
    return CB_SIM_FAULT_NONE;
  if (sim->fault.limit > 0 && sim->n_faults >= sim->fault.limit)
    return CB_SIM_FAULT_NONE;
  if (sim->fault.probability < 1.0 && g_rand_double (sim->rand) >= sim->fault.probability)
    return CB_SIM_FAULT_NONE;
  if (sim->fault.kind == CB_SIM_FAULT_BAD_CRC && !sim->model->binary)
    return CB_SIM_FAULT_NONE;
  sim->n_faults++;
  return sim->fault.kind;
}

/* Bytes no parser should take for a reply: high bytes and punctuation, never
 * a line end; for a Modbus master, never the slave's address first. */
static void
append_garbage (CbSim      *sim,
                GByteArray *out)
{
  static const char noise[] = "#@!%&~^`|{}<>";
  int n = g_rand_int_range (sim->rand, 8, 24);

  for (int i = 0; i < n; i++)
    {
      guint8 c;

      if (g_rand_boolean (sim->rand))
        c = (guint8) g_rand_int_range (sim->rand, 0x80, 0x100);
      else
        c = (guint8) noise[g_rand_int_range (sim->rand, 0, sizeof noise - 1)];
      g_byte_array_append (out, &c, 1);
    }
}

static gboolean
write_all (Connection   *connection,
           const guint8 *data,
           gsize         length)
{
  int fd = connection->fd;
  gsize done = 0;

  while (done < length)
    {
      ssize_t n;

      /* MSG_NOSIGNAL: a client gone away is not a SIGPIPE. */
      if (connection->is_socket)
        n = send (fd, data + done, length - done, MSG_NOSIGNAL);
      else
        n = write (fd, data + done, length - done);

      if (n > 0)
        done += (gsize) n;
      else if (n < 0 && (errno == EAGAIN || errno == EINTR))
        {
          struct pollfd pfd = { fd, POLLOUT, 0 };

          /* The reader is slow or gone; a simulator never waits forever. */
          if (poll (&pfd, 1, 5000) <= 0)
            return FALSE;
        }
      else
        return FALSE;
    }
  return TRUE;
}

/* Sends @out, hit by @fault; SERVE_HANG_UP when the line is to close. */
static ServeStatus
send_reply (CbSim          *sim,
            Connection     *connection,
            GByteArray     *out,
            CbSimFaultKind  fault)
{
  switch (fault)
    {
    case CB_SIM_FAULT_DISCONNECT:
      /* Half a reply, then nothing: the reader is mid-reading. */
      write_all (connection, out->data, MAX (out->len / 2, 1));
      return SERVE_HANG_UP;
    case CB_SIM_FAULT_GARBAGE:
      g_byte_array_set_size (out, 0);
      append_garbage (sim, out);
      if (!sim->model->binary)
        g_byte_array_append (out, (const guint8 *) sim->model->reply_terminator,
                             strlen (sim->model->reply_terminator));
      break;
    case CB_SIM_FAULT_BAD_CRC:
      if (out->len >= 2)
        out->data[out->len - 1] ^= 0x5a;
      break;
    case CB_SIM_FAULT_STALL:
    case CB_SIM_FAULT_NONE:
    default:
      break;
    }
  return write_all (connection, out->data, out->len) ? SERVE_MORE : SERVE_HANG_UP;
}

static ServeStatus
serve_line (CbSim      *sim,
            Connection *connection,
            const char *line)
{
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_auto(GStrv) parts = NULL;
  CbSimFaultKind fault = CB_SIM_FAULT_NONE;

  g_mutex_lock (&sim->lock);
  sim->n_commands++;
  if (strchr (line, '?') != NULL)
    fault = next_fault (sim);
  if (fault == CB_SIM_FAULT_STALL)
    {
      g_mutex_unlock (&sim->lock);
      return SERVE_MORE;
    }

  /* SCPI: commands in one line are separated by ';', their replies too. */
  parts = g_strsplit (line, ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gsize before = reply->len;

      g_strstrip (parts[i]);
      if (parts[i][0] == '\0')
        continue;
      if (reply->len > 0)
        g_string_append_c (reply, ';');
      sim->model->command (sim, parts[i], reply);
      if (reply->len == before + 1 && reply->str[before] == ';')
        g_string_truncate (reply, before);
    }
  g_mutex_unlock (&sim->lock);

  if (reply->len == 0 && fault == CB_SIM_FAULT_NONE)
    return SERVE_MORE;
  g_byte_array_append (out, (const guint8 *) reply->str, reply->len);
  g_byte_array_append (out, (const guint8 *) sim->model->reply_terminator,
                       strlen (sim->model->reply_terminator));
  return send_reply (sim, connection, out, fault);
}

static ServeStatus
serve_frame (CbSim        *sim,
             Connection   *connection,
             const guint8 *frame)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  CbSimFaultKind fault;

  g_mutex_lock (&sim->lock);
  sim->n_commands++;
  fault = next_fault (sim);
  if (fault != CB_SIM_FAULT_STALL)
    sim->model->frame (sim, frame, CB_MODBUS_REQUEST_LENGTH, out);
  g_mutex_unlock (&sim->lock);

  if (fault == CB_SIM_FAULT_STALL || (out->len == 0 && fault == CB_SIM_FAULT_NONE))
    return SERVE_MORE;
  return send_reply (sim, connection, out, fault);
}

/* Handles what is complete in @buffer; keeps the rest. */
static ServeStatus
serve_buffer (CbSim      *sim,
              Connection *connection,
              guint8 *buffer,
              gsize  *buffered)
{
  gsize start = 0;
  ServeStatus status = SERVE_MORE;

  if (sim->model->binary)
    {
      /* RTU frames are delimited by silence, which a pty does not keep;
       * requests are fixed-size, and a bad CRC drops everything buffered,
       * as a slave that lost sync would. */
      while (status == SERVE_MORE && *buffered - start >= CB_MODBUS_REQUEST_LENGTH)
        {
          const guint8 *frame = buffer + start;
          guint16 crc = (guint16) (frame[6] | (frame[7] << 8));

          if (cb_modbus_crc (frame, 6) != crc)
            {
              start = *buffered;
              break;
            }
          status = serve_frame (sim, connection, frame);
          start += CB_MODBUS_REQUEST_LENGTH;
        }
    }
  else
    {
      for (;;)
        {
          guint8 *end = memchr (buffer + start, '\n', *buffered - start);
          g_autofree char *line = NULL;
          gsize length;

          if (end == NULL || status != SERVE_MORE)
            break;
          length = (gsize) (end - (buffer + start));
          if (length > 0 && buffer[start + length - 1] == '\r')
            length--;
          line = g_strndup ((const char *) buffer + start, length);
          start = (gsize) (end - buffer) + 1;
          status = serve_line (sim, connection, line);
        }
      if (start == 0 && *buffered == CB_INSTRUMENT_MAX_LINE)
        {
          g_mutex_lock (&sim->lock);
          cb_sim_push_error (sim, -363, "Input buffer overrun");
          g_mutex_unlock (&sim->lock);
          start = *buffered;
        }
    }

  memmove (buffer, buffer + start, *buffered - start);
  *buffered -= start;
  return status;
}

gboolean
cb_sim_serve_fd (CbSim         *sim,
                 int            fd,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree guint8 *buffer = g_malloc (CB_INSTRUMENT_MAX_LINE);
  gsize buffered = 0;
  GPollFD cancel_fd = { -1, 0, 0 };
  gboolean have_cancel = FALSE;
  gboolean ok = TRUE;
  Connection connection = { fd, FALSE };
  struct stat st;
  gint64 last_byte = 0;

  connection.is_socket = fstat (fd, &st) == 0 && S_ISSOCK (st.st_mode);
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &cancel_fd))
    have_cancel = TRUE;

  for (;;)
    {
      struct pollfd fds[2] = { { fd, POLLIN, 0 }, { cancel_fd.fd, POLLIN, 0 } };
      ssize_t n;
      gint64 now;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (poll (fds, have_cancel ? 2 : 1, -1) < 0 && errno != EINTR)
        break;
      if (fds[1].revents != 0)
        continue;
      if (fds[0].revents == 0)
        continue;

      n = read (fd, buffer + buffered, CB_INSTRUMENT_MAX_LINE - buffered);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (n <= 0)
        break;   /* the client hung up */
      /* Modbus RTU ends a frame with silence: after a pause, what was
       * buffered is a broken frame, and the new bytes start the next. */
      now = g_get_monotonic_time ();
      if (sim->model->binary && buffered > 0 && now - last_byte > RTU_SILENCE_US)
        {
          memmove (buffer, buffer + buffered, (gsize) n);
          buffered = 0;
        }
      last_byte = now;
      buffered += (gsize) n;
      if (serve_buffer (sim, &connection, buffer, &buffered) != SERVE_MORE)
        break;
    }

  if (have_cancel)
    g_cancellable_release_fd (cancellable);
  close (fd);
  return ok;
}

gboolean
cb_sim_open_pty (int     *master,
                 int     *slave,
                 char   **path,
                 GError **error)
{
  struct termios raw = { 0 };
  const char *name;

  /* Raw both ways: no echo of commands back to the simulator, no line
   * editing, no CR/LF translation. */
  cfmakeraw (&raw);
  raw.c_cflag |= CLOCAL | CREAD;
  raw.c_cc[VMIN] = 1;
  cfsetispeed (&raw, B115200);
  cfsetospeed (&raw, B115200);
  if (openpty (master, slave, NULL, &raw, NULL) != 0)
    {
      int saved = errno;

      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_OPEN,
                   _("cannot create a pty: %s"), g_strerror (saved));
      return FALSE;
    }
  fcntl (*master, F_SETFD, FD_CLOEXEC);
  fcntl (*slave, F_SETFD, FD_CLOEXEC);
  name = ttyname (*slave);
  *path = g_strdup (name != NULL ? name : "");
  return TRUE;
}

int
cb_sim_listen_tcp (guint16   port,
                   guint16  *bound_port,
                   GError  **error)
{
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;
  int one = 1;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  address.sin_port = htons (port);
  if (fd < 0 ||
      setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind (fd, (struct sockaddr *) &address, sizeof address) != 0 ||
      listen (fd, 4) != 0 ||
      getsockname (fd, (struct sockaddr *) &address, &length) != 0)
    {
      int saved = errno;

      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_OPEN,
                   _("cannot listen on TCP port %u: %s"), port, g_strerror (saved));
      if (fd >= 0)
        close (fd);
      return -1;
    }
  *bound_port = ntohs (address.sin_port);
  return fd;
}

gboolean
cb_sim_serve_listener (CbSim         *sim,
                       int            listener,
                       GCancellable  *cancellable,
                       GError       **error)
{
  GPollFD cancel_fd = { -1, 0, 0 };
  gboolean have_cancel = FALSE;
  gboolean ok = TRUE;

  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &cancel_fd))
    have_cancel = TRUE;

  for (;;)
    {
      struct pollfd fds[2] = { { listener, POLLIN, 0 }, { cancel_fd.fd, POLLIN, 0 } };
      int client;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (poll (fds, have_cancel ? 2 : 1, -1) < 0 && errno != EINTR)
        break;
      if ((fds[0].revents & POLLIN) == 0)
        continue;
      client = accept (listener, NULL, NULL);
      if (client < 0)
        continue;
      fcntl (client, F_SETFD, FD_CLOEXEC);
      if (!cb_sim_serve_fd (sim, client, cancellable, error))
        {
          ok = FALSE;
          break;
        }
    }

  if (have_cancel)
    g_cancellable_release_fd (cancellable);
  return ok;
}
