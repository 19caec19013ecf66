/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <pty.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>

#include "instruments/cb-transport.h"

/* The line layer over a real pty: the test holds the master side and plays
 * the instrument byte by byte; the transport opens the slave by its path,
 * as it would open a device. */

typedef struct
{
  int          master;
  int          slave;
  char         path[64];
  CbTransport *transport;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  struct termios raw = { 0 };

  cfmakeraw (&raw);
  g_assert_cmpint (openpty (&fixture->master, &fixture->slave, fixture->path, &raw, NULL), ==, 0);
  fixture->transport = cb_transport_open (fixture->path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->transport);
  cb_transport_set_timeout (fixture->transport, 200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->transport, cb_transport_close);
  if (fixture->master >= 0)
    close (fixture->master);
  close (fixture->slave);
}

static void
instrument_says (Fixture    *fixture,
                 const char *bytes)
{
  gsize length = strlen (bytes);

  g_assert_cmpint (write (fixture->master, bytes, length), ==, (gssize) length);
}

static char *
instrument_hears (Fixture *fixture,
                  gsize    length)
{
  char *buffer = g_malloc0 (length + 1);
  gsize done = 0;

  /* The pty master blocks until the bytes are there: the test has written
   * them just before, so this returns at once. */
  while (done < length)
    {
      gssize n = read (fixture->master, buffer + done, length - done);

      g_assert_cmpint (n, >, 0);
      done += (gsize) n;
    }
  return buffer;
}

static void
test_description (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_cmpstr (cb_transport_get_port (fixture->transport), ==, fixture->path);
  g_assert_true (g_str_has_prefix (cb_transport_get_description (fixture->transport), "termios "));
}

static void
test_write_line (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *heard = NULL;

  g_assert_true (cb_transport_write_line (fixture->transport, "*IDN?", NULL, &error));
  g_assert_no_error (error);
  heard = instrument_hears (fixture, 6);
  g_assert_cmpstr (heard, ==, "*IDN?\n");
}

static void
test_partial_lines (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  gsize length = 0;

  /* A line split across reads, then two lines and a half in one read. */
  instrument_says (fixture, "+1.2345");
  g_assert_null (cb_transport_read_line (fixture->transport, 50, NULL, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "+1.2345"));
  g_clear_error (&error);

  instrument_says (fixture, "6E+00\r\nsecond\nthi");
  first = cb_transport_read_line (fixture->transport, -1, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "+1.23456E+00");
  g_assert_cmpuint (length, ==, 12);
  second = cb_transport_read_line (fixture->transport, -1, NULL, NULL, &error);
  g_assert_cmpstr (second, ==, "second");
  instrument_says (fixture, "rd\n");
  third = cb_transport_read_line (fixture->transport, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (third, ==, "third");
}

static void
test_terminator (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *heard = NULL;

  cb_transport_set_terminator (fixture->transport, "\r");
  g_assert_cmpstr (cb_transport_get_terminator (fixture->transport), ==, "\r");
  g_assert_true (cb_transport_write_line (fixture->transport, "STBY", NULL, &error));
  heard = instrument_hears (fixture, 5);
  g_assert_cmpstr (heard, ==, "STBY\r");

  instrument_says (fixture, "a\nb\r");
  line = cb_transport_read_line (fixture->transport, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "a\nb");
}

static void
test_read_bytes (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint8 frame[5] = { 0 };
  const guint8 expected[5] = { 0x01, 0x03, 0x00, 0x0a, 0xff };

  instrument_says (fixture, "\x01\x03");
  g_assert_false (cb_transport_read_bytes (fixture->transport, frame, 5, 50, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT);
  g_clear_error (&error);

  /* The two bytes that came stay buffered. */
  g_assert_cmpint (write (fixture->master, "\x00\x0a\xff", 3), ==, 3);
  g_assert_true (cb_transport_read_bytes (fixture->transport, frame, 5, -1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (frame, 5, expected, 5);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (cb_transport_query (fixture->transport, "READ?", NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, fixture->path));
}

static void
test_overlong_line (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  char chunk[4096];
  gsize sent = 0;

  /* More than the bound without a terminator: refused, never grown.  The
   * pty holds only a few KiB, so the test writes as the transport reads. */
  memset (chunk, 'x', sizeof chunk);
  g_unix_set_fd_nonblocking (fixture->master, TRUE, NULL);
  while (sent < CB_INSTRUMENT_MAX_LINE + sizeof chunk)
    {
      gssize n = write (fixture->master, chunk, sizeof chunk);

      if (n > 0)
        {
          sent += (gsize) n;
          continue;
        }
      g_assert_true (errno == EAGAIN);
      line = cb_transport_read_line (fixture->transport, 50, NULL, NULL, &error);
      if (error != NULL && g_error_matches (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL))
        break;
      g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT);
      g_clear_error (&error);
    }
  if (error == NULL)
    line = cb_transport_read_line (fixture->transport, 50, NULL, NULL, &error);
  g_assert_null (line);
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL);
}

static void
test_disconnect (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The far end goes away in the middle of a reply. */
  instrument_says (fixture, "+1.000");
  close (fixture->master);
  fixture->master = -1;
  g_assert_null (cb_transport_read_line (fixture->transport, -1, NULL, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_DISCONNECTED);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  g_assert_null (cb_transport_read_line (fixture->transport, 10000, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_bad_ports (void)
{
  g_autoptr(GError) error = NULL;
  CbSerialSettings settings = CB_SERIAL_SETTINGS_DEFAULT;

  g_assert_null (cb_transport_open ("", NULL, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cb_transport_open ("COM3", NULL, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "COM3"));
  g_clear_error (&error);
  g_assert_null (cb_transport_open ("/nonexistent/ttyUSB9", NULL, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "/nonexistent/ttyUSB9"));
  g_clear_error (&error);
  g_assert_null (cb_transport_open ("/dev/usbtmc99", NULL, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_OPEN);
  g_clear_error (&error);

  g_assert_true (cb_serial_settings_parse_format (&settings, "7E2", &error));
  g_assert_cmpint (settings.data_bits, ==, 7);
  g_assert_cmpint (settings.parity, ==, CB_PARITY_EVEN);
  g_assert_cmpint (settings.stop_bits, ==, 2);
  g_assert_false (cb_serial_settings_parse_format (&settings, "9X1", &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cb_serial_settings_parse_flow (&settings, "rtscts", &error));
  g_assert_cmpint (settings.flow, ==, CB_FLOW_RTSCTS);
  g_assert_false (cb_serial_settings_parse_flow (&settings, "dtr", &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID);
}

static void
test_list_ports (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ports = cb_transport_list_ports (&error);

  /* Whatever this machine has; each entry is complete. */
  g_assert_no_error (error);
  for (guint i = 0; i < ports->len; i++)
    {
      CbPortInfo *info = g_ptr_array_index (ports, i);

      g_assert_nonnull (info->name);
      g_assert_nonnull (info->kind);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/instruments/transport/description", test_description);
  ADD ("/instruments/transport/write-line", test_write_line);
  ADD ("/instruments/transport/partial-lines", test_partial_lines);
  ADD ("/instruments/transport/terminator", test_terminator);
  ADD ("/instruments/transport/read-bytes", test_read_bytes);
  ADD ("/instruments/transport/timeout", test_timeout);
  ADD ("/instruments/transport/overlong-line", test_overlong_line);
  ADD ("/instruments/transport/disconnect", test_disconnect);
  ADD ("/instruments/transport/cancel", test_cancel);
#undef ADD
  g_test_add_func ("/instruments/transport/bad-ports", test_bad_ports);
  g_test_add_func ("/instruments/transport/list-ports", test_list_ports);

  return g_test_run ();
}
