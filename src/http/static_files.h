#ifndef IZDE_HTTP_STATIC_FILES_H_
#define IZDE_HTTP_STATIC_FILES_H_

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace izde::http {

// One file of the web UI, ready to send.
struct StaticFile {
  std::string body;
  std::string content_type;  // "text/html; charset=utf-8"
  bool immutable = false;    // under assets/: the name carries a content hash
};

// The built web UI (web/dist, docs/web.md) served from a folder.
// Thread safety: const after construction; Lookup may run concurrently.
class StaticFiles {
 public:
  // `root` must hold index.html; kNotFound otherwise.
  static Result<StaticFiles> Open(const std::filesystem::path& root);

  // The file for a decoded URL path ("/", "/assets/index-3f2a.js", "/persons/P-000001").
  // A path that names no file and whose last segment has no dot is a page of the single-page
  // app and gets index.html. Returns kNotFound for a missing file with an extension, and
  // kInvalidArgument for a path that tries to leave the root ("..", ".", backslash, NUL) or
  // reaches outside it through a link.
  Result<StaticFile> Lookup(std::string_view url_path) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
  Result<StaticFile> Read(const std::filesystem::path& file) const;

  std::filesystem::path root_;  // canonical
};

// Serves the web UI in `root` on `server`: every GET and HEAD outside /api/ gets a file (or
// index.html, see Lookup) with its Content-Type, security headers, and a long cache lifetime for
// hashed assets. Errors answer with the API's JSON error body. kNotFound when `root` has no
// index.html.
Status MountStaticFiles(httplib::Server& server, const std::filesystem::path& root);

// The Content-Type for a file name, by its extension; application/octet-stream when unknown.
std::string ContentTypeFor(std::string_view file_name);

}  // namespace izde::http

#endif  // IZDE_HTTP_STATIC_FILES_H_
