#include "http/static_files.h"

#include <httplib.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "http/errors.h"

namespace izde::http {
namespace {

// Splits "/a/b/" into {"a", "b"}; empty segments (from "//" or the ends) are dropped.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

bool IsInside(const std::filesystem::path& root, const std::filesystem::path& file) {
  auto root_it = root.begin();
  auto file_it = file.begin();
  for (; root_it != root.end(); ++root_it, ++file_it) {
    if (file_it == file.end() || *root_it != *file_it) return false;
  }
  return true;
}

}  // namespace

std::string ContentTypeFor(std::string_view file_name) {
  size_t dot = file_name.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? "" : file_name.substr(dot + 1);
  struct Type {
    std::string_view ext, type;
  };
  static constexpr Type kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"txt", "text/plain; charset=utf-8"},
      {"webmanifest", "application/manifest+json"},
  };
  for (const Type& known : kTypes) {
    if (known.ext == ext) return std::string(known.type);
  }
  return "application/octet-stream";
}

Result<StaticFiles> StaticFiles::Open(const std::filesystem::path& root) {
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::canonical(root, error);
  if (error || !std::filesystem::is_regular_file(canonical / "index.html", error)) {
    return NotFoundError("no index.html in the web root '" + root.string() +
                         "' (build it: npm ci && npm run build in web/)");
  }
  return StaticFiles(std::move(canonical));
}

Result<StaticFile> StaticFiles::Lookup(std::string_view url_path) const {
  if (url_path.find('\0') != std::string_view::npos ||
      url_path.find('\\') != std::string_view::npos) {
    return InvalidArgumentError("the path has a backslash or NUL", "path");
  }
  std::filesystem::path file = root_;
  std::vector<std::string_view> segments = Segments(url_path);
  for (std::string_view segment : segments) {
    if (segment == ".." || segment == ".") {
      return InvalidArgumentError("the path may not contain '.' or '..'", "path");
    }
    file /= std::string(segment);
  }
  std::error_code error;
  if (segments.empty()) return Read(root_ / "index.html");
  if (std::filesystem::is_regular_file(file, error)) {
    // A link inside the folder must not lead out of it.
    std::filesystem::path canonical = std::filesystem::canonical(file, error);
    if (error || !IsInside(root_, canonical)) {
      return InvalidArgumentError("the path leads outside the web root", "path");
    }
    return Read(canonical);
  }
  if (segments.back().find('.') != std::string_view::npos) {
    return NotFoundError("no such file: " + std::string(url_path));
  }
  return Read(root_ / "index.html");
}

Result<StaticFile> StaticFiles::Read(const std::filesystem::path& file) const {
  std::ifstream in(file, std::ios::binary);
  if (!in) return NotFoundError("cannot read " + file.string());
  std::ostringstream body;
  body << in.rdbuf();
  StaticFile result;
  result.body = std::move(body).str();
  result.content_type = ContentTypeFor(file.filename().string());
  std::filesystem::path relative = file.lexically_relative(root_);
  result.immutable = !relative.empty() && *relative.begin() == "assets";
  return result;
}

Status MountStaticFiles(httplib::Server& server, const std::filesystem::path& root) {
  IZDE_ASSIGN_OR_RETURN(StaticFiles opened, StaticFiles::Open(root));
  auto files = std::make_shared<const StaticFiles>(std::move(opened));
  // ECMAScript regex: anything but /api and /api/..., which stay the JSON API's (and its 404s).
  server.Get(R"(/(?!api(?:/|$)).*)", [files](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    Result<StaticFile> file = files->Lookup(req.path);
    if (!file.ok()) {
      res.status = HttpStatusOf(file.status().code());
      res.set_header("Cache-Control", "no-store");
      res.set_content(ErrorBody(file.status()).dump(), "application/json");
      return;
    }
    res.set_header("Cache-Control",
                   file->immutable ? "public, max-age=31536000, immutable" : "no-cache");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                   "'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    res.status = 200;
    res.set_content(std::move(file->body), file->content_type);
  });
  return OkStatus();
}

}  // namespace izde::http
