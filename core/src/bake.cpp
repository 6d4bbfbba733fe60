#include "laurel/bake.hpp"

#include <array>
#include <optional>
#include <cstdint>
#include <vector>

#include "detail/crypto.hpp"
#include "laurel/json.hpp"
#include "laurel/jws.hpp"
#include "laurel/validate.hpp"

namespace laurel {
namespace {

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
constexpr std::string_view kKeywordOb2 = "openbadges";
constexpr std::string_view kKeywordOb3 = "openbadgecredential";
constexpr std::string_view kNamespaceOb2 = "http://openbadges.org";
constexpr std::string_view kNamespaceOb3 = "https://purl.imsglobal.org/ob/v3p0";
// How far into an XML file the <svg element may start (XML declaration, DOCTYPE, comments).
constexpr std::size_t kSvgSniffBytes = 4096;

// CRC-32 as PNG defines it (ISO 3309 / ITU-T V.42, PNG §5.5), table-driven.
constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}
constexpr auto kCrcTable = make_crc_table();

std::uint32_t crc32(std::string_view data) {
  std::uint32_t c = 0xffffffffu;
  for (unsigned char byte : data) c = kCrcTable[(c ^ byte) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

std::uint32_t read_u32(std::string_view data, std::size_t at) {
  return (std::uint32_t(std::uint8_t(data[at])) << 24) |
         (std::uint32_t(std::uint8_t(data[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(data[at + 2])) << 8) |
         std::uint32_t(std::uint8_t(data[at + 3]));
}

void write_u32(std::string& out, std::uint32_t value) {
  out += char(value >> 24);
  out += char((value >> 16) & 0xff);
  out += char((value >> 8) & 0xff);
  out += char(value & 0xff);
}

struct Chunk {
  std::string_view type;
  std::string_view data;
  std::string_view whole;  // length + type + data + CRC
};

Error image_error(std::string message) {
  return invalid("image", std::move(message));
}

// Splits a PNG into chunks, checking structure and every CRC (PNG §5.3): a changed byte
// anywhere in the file is caught here.
Result<std::vector<Chunk>> read_png(std::string_view png) {
  if (png.size() > kImageMaxBytes) return image_error("image larger than 32 MiB");
  if (png.substr(0, kPngSignature.size()) != kPngSignature) return image_error("not a PNG");
  std::vector<Chunk> chunks;
  std::size_t at = kPngSignature.size();
  bool ended = false;
  while (at < png.size()) {
    if (ended) return image_error("data after IEND");
    if (png.size() - at < 12) return image_error("truncated PNG chunk");
    std::uint32_t length = read_u32(png, at);
    // PNG §5.3: lengths are below 2^31; checked against what remains so nothing overflows.
    if (length > 0x7fffffffu || length > png.size() - at - 12)
      return image_error("truncated PNG chunk");
    if (chunks.size() >= kPngMaxChunks) return image_error("too many PNG chunks");
    Chunk chunk;
    chunk.type = png.substr(at + 4, 4);
    chunk.data = png.substr(at + 8, length);
    chunk.whole = png.substr(at, 12 + std::size_t(length));
    for (char c : chunk.type) {
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
        return image_error("bad PNG chunk type");
    }
    if (crc32(png.substr(at + 4, 4 + std::size_t(length))) != read_u32(png, at + 8 + length)) {
      return image_error("PNG chunk " + std::string(chunk.type) + " has a bad CRC");
    }
    if (chunks.empty() && chunk.type != "IHDR") return image_error("PNG does not start with IHDR");
    if (chunk.type == "IEND") ended = true;
    chunks.push_back(chunk);
    at += chunk.whole.size();
  }
  if (!ended) return image_error("PNG has no IEND chunk");
  return chunks;
}

std::string_view keyword_of(const Chunk& chunk) {
  std::size_t nul = chunk.data.find('\0');
  if (nul == std::string_view::npos) return {};
  return chunk.data.substr(0, nul);
}

bool is_badge_chunk(const Chunk& chunk) {
  if (chunk.type != "iTXt" && chunk.type != "tEXt" && chunk.type != "zTXt") return false;
  std::string_view keyword = keyword_of(chunk);
  return keyword == kKeywordOb2 || keyword == kKeywordOb3;
}

// The text of a tEXt, zTXt or iTXt chunk (PNG §11.3.4).
Result<std::string> chunk_text(const Chunk& chunk) {
  std::string_view rest = chunk.data.substr(keyword_of(chunk).size() + 1);
  if (chunk.type == "tEXt") return std::string(rest);
  if (chunk.type == "zTXt") {
    if (rest.empty() || rest[0] != 0) return image_error("zTXt with an unknown compression method");
    return detail::zlib_inflate(rest.substr(1), kBakedTextMaxBytes);
  }
  if (rest.size() < 2) return image_error("truncated iTXt chunk");
  bool compressed = rest[0] != 0;
  if (compressed && rest[1] != 0) return image_error("iTXt with an unknown compression method");
  rest.remove_prefix(2);
  std::size_t language_end = rest.find('\0');
  if (language_end == std::string_view::npos) return image_error("truncated iTXt chunk");
  rest.remove_prefix(language_end + 1);
  std::size_t translated_end = rest.find('\0');
  if (translated_end == std::string_view::npos) return image_error("truncated iTXt chunk");
  rest.remove_prefix(translated_end + 1);
  if (compressed) return detail::zlib_inflate(rest, kBakedTextMaxBytes);
  return std::string(rest);
}

std::string_view trim(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

Result<BakedBadge> classify(std::string_view raw) {
  std::string_view text = trim(raw);
  if (text.empty()) return image_error("the badge text is empty");
  if (text.size() > kBakedTextMaxBytes) return image_error("the badge text is larger than 4 MiB");
  if (!is_utf8(text)) return image_error("the badge text is not UTF-8");
  BakedBadge badge;
  badge.text = std::string(text);
  if (text.front() == '{') {
    badge.kind = BakedBadge::Kind::Json;
  } else if (looks_like_jws(text)) {
    badge.kind = BakedBadge::Kind::Jws;
  } else if (is_http_url(text)) {
    badge.kind = BakedBadge::Kind::Url;  // OB 1.0: the image carried only the assertion's URL
  } else {
    return image_error("the badge text is neither JSON, a JWS nor a URL");
  }
  return badge;
}

// OB 3.0 content (a VerifiableCredential, or a VC-JWT) uses the OB 3.0 keyword and namespace.
bool is_ob3(std::string_view badge, bool is_jws) {
  std::string payload;
  if (is_jws) {
    auto jws = jws_parse(badge);
    if (!jws.ok()) return false;
    payload = std::move(jws->payload);
    badge = payload;
  }
  auto json = Json::parse(badge);
  if (!json.ok()) return false;
  if (json->find("vc") != nullptr) return true;
  const Json* type = json->find("type");
  if (type == nullptr) return false;
  if (type->is_string()) return type->as_string() == "VerifiableCredential";
  if (type->is_array()) {
    for (const Json& item : type->as_array()) {
      if (item.is_string() && item.as_string() == "VerifiableCredential") return true;
    }
  }
  return false;
}

Result<std::string> bake_png(std::string_view image, std::string_view badge, bool ob3) {
  auto chunks = read_png(image);
  if (!chunks.ok()) return chunks.error();
  std::string chunk_data(ob3 ? kKeywordOb3 : kKeywordOb2);
  // Keyword NUL, compression flag 0, method 0, empty language NUL, empty translation NUL.
  chunk_data.append("\0\0\0\0\0", 5);
  chunk_data.append(badge);
  std::string out(kPngSignature);
  out.reserve(image.size() + chunk_data.size() + 12);
  for (const Chunk& chunk : chunks.value()) {
    if (is_badge_chunk(chunk)) continue;  // a re-bake replaces the old badge
    if (chunk.type == "IEND") {
      write_u32(out, std::uint32_t(chunk_data.size()));
      std::string typed = "iTXt" + chunk_data;
      out += typed;
      write_u32(out, crc32(typed));
    }
    out.append(chunk.whole);
  }
  return out;
}

// --- SVG ---------------------------------------------------------------------------------------

std::string xml_attribute_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string xml_unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    std::size_t end = text.find(';', i);
    if (end == std::string_view::npos || end - i > 8) {
      out += text[i];
      continue;
    }
    std::string_view entity = text.substr(i + 1, end - i - 1);
    if (entity == "amp")
      out += '&';
    else if (entity == "lt")
      out += '<';
    else if (entity == "gt")
      out += '>';
    else if (entity == "quot")
      out += '"';
    else if (entity == "apos")
      out += '\'';
    else {
      out += text[i];
      continue;
    }
    i = end;
  }
  return out;
}

// The end of the start tag beginning at `at` ('>' position), skipping quoted attribute values.
std::size_t tag_end(std::string_view svg, std::size_t at) {
  char quote = 0;
  for (std::size_t i = at; i < svg.size(); ++i) {
    char c = svg[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i;
    }
  }
  return std::string_view::npos;
}

std::size_t find_svg_root(std::string_view svg) {
  std::size_t at = 0;
  while ((at = svg.find("<svg", at)) != std::string_view::npos) {
    char next = at + 4 < svg.size() ? svg[at + 4] : '\0';
    if (next == ' ' || next == '\n' || next == '\r' || next == '\t' || next == '>' || next == '/')
      return at;
    at += 4;
  }
  return std::string_view::npos;
}

// The value of attribute `name` inside the start tag `tag`, unescaped.
std::optional<std::string> attribute(std::string_view tag, std::string_view name) {
  std::size_t at = 0;
  while ((at = tag.find(name, at)) != std::string_view::npos) {
    bool starts = at > 0 && (tag[at - 1] == ' ' || tag[at - 1] == '\n' || tag[at - 1] == '\t' ||
                             tag[at - 1] == '\r');
    std::size_t eq = at + name.size();
    while (eq < tag.size() && (tag[eq] == ' ' || tag[eq] == '\n' || tag[eq] == '\t')) ++eq;
    if (starts && eq < tag.size() && tag[eq] == '=') {
      std::size_t open = eq + 1;
      while (open < tag.size() && (tag[open] == ' ' || tag[open] == '\n' || tag[open] == '\t'))
        ++open;
      if (open < tag.size() && (tag[open] == '"' || tag[open] == '\'')) {
        std::size_t close = tag.find(tag[open], open + 1);
        if (close == std::string_view::npos) return std::nullopt;
        return xml_unescape(tag.substr(open + 1, close - open - 1));
      }
    }
    at += name.size();
  }
  return std::nullopt;
}

struct SvgElement {
  std::size_t begin = std::string_view::npos;  // '<' of the start tag
  std::size_t end = 0;                         // one past the end tag (or the empty tag)
  std::string_view start_tag;
  std::string_view content;
};

// The first `end_tag` at or after `from` that is not inside a CDATA section (a baked JSON badge
// may itself contain "</openbadges:assertion>"); npos when there is none.
std::size_t find_end_tag(std::string_view svg, std::string_view end_tag, std::size_t from) {
  while (true) {
    std::size_t end = svg.find(end_tag, from);
    std::size_t cdata = svg.find("<![CDATA[", from);
    if (end == std::string_view::npos || cdata == std::string_view::npos || end < cdata) return end;
    std::size_t cdata_end = svg.find("]]>", cdata + 9);
    if (cdata_end == std::string_view::npos) return std::string_view::npos;
    from = cdata_end + 3;
  }
}

// The first badge element: nullopt when there is none, an error when one starts but does not end
// (leaving it would let a re-baked image unbake to the old, broken badge).
Result<std::optional<SvgElement>> find_badge_element(std::string_view svg) {
  for (std::string_view name :
       {std::string_view("openbadges:assertion"), std::string_view("openbadges:credential")}) {
    std::size_t at = svg.find(std::string("<") + std::string(name));
    if (at == std::string_view::npos) continue;
    auto malformed = image_error("the SVG's <" + std::string(name) + "> element is not closed");
    std::size_t close = tag_end(svg, at);
    if (close == std::string_view::npos) return malformed;
    SvgElement element;
    element.begin = at;
    element.start_tag = svg.substr(at, close - at + 1);
    if (svg[close - 1] == '/') {
      element.end = close + 1;
      return std::optional<SvgElement>(element);
    }
    std::string end_tag = "</" + std::string(name) + ">";
    std::size_t end = find_end_tag(svg, end_tag, close);
    if (end == std::string_view::npos) return malformed;
    element.content = svg.substr(close + 1, end - close - 1);
    element.end = end + end_tag.size();
    return std::optional<SvgElement>(element);
  }
  return std::optional<SvgElement>();
}

// Element text: CDATA sections verbatim, the rest with entities decoded.
std::string element_text(std::string_view content) {
  std::string out;
  std::size_t at = 0;
  while (at < content.size()) {
    std::size_t cdata = content.find("<![CDATA[", at);
    if (cdata == std::string_view::npos) {
      out += xml_unescape(content.substr(at));
      break;
    }
    out += xml_unescape(content.substr(at, cdata - at));
    std::size_t end = content.find("]]>", cdata + 9);
    if (end == std::string_view::npos) {
      out += content.substr(cdata + 9);
      break;
    }
    out += content.substr(cdata + 9, end - cdata - 9);
    at = end + 3;
  }
  return out;
}

Result<std::string> bake_svg(std::string_view svg, std::string_view badge, bool is_jws, bool ob3) {
  if (svg.size() > kImageMaxBytes) return image_error("image larger than 32 MiB");
  if (!is_utf8(svg)) return image_error("SVG is not UTF-8");
  std::string cleaned(svg);
  // Remove any earlier bake so an image never carries two badges.
  while (true) {
    auto old = find_badge_element(cleaned);
    if (!old.ok()) return old.error();
    if (!old.value()) break;
    cleaned.erase(old.value()->begin, old.value()->end - old.value()->begin);
  }
  // What is left must still read as an SVG, or the baked image would not unbake.
  if (image_kind(cleaned) != ImageKind::Svg) {
    return image_error("the SVG is not an SVG without its old badge element");
  }
  std::size_t root = find_svg_root(cleaned);
  if (root == std::string::npos) return image_error("no <svg> element");
  std::size_t root_end = tag_end(cleaned, root);
  if (root_end == std::string::npos || cleaned[root_end - 1] == '/') {
    return image_error("the <svg> element is malformed or empty");
  }
  std::string_view root_tag = std::string_view(cleaned).substr(root, root_end - root + 1);
  std::string insert_namespace;
  if (root_tag.find("xmlns:openbadges") == std::string_view::npos) {
    insert_namespace =
        " xmlns:openbadges=\"" + std::string(ob3 ? kNamespaceOb3 : kNamespaceOb2) + "\"";
  }
  std::string element_name = ob3 ? "openbadges:credential" : "openbadges:assertion";
  std::string element = "<" + element_name;
  if (is_jws) {
    element += " verify=\"" + xml_attribute_escape(badge) + "\"/>";
  } else {
    auto json = Json::parse(badge);
    if (!json.ok() || !json->is_object())
      return invalid("assertion", "the badge is not a JSON object");
    const std::string& id = json->get_string("id");
    if (!ob3 && !id.empty()) element += " verify=\"" + xml_attribute_escape(id) + "\"";
    // "]]>" cannot appear inside CDATA: split the section around it.
    std::string body(badge);
    for (std::size_t at = 0; (at = body.find("]]>", at)) != std::string::npos; at += 15) {
      body.replace(at, 3, "]]]]><![CDATA[>");
    }
    element += "><![CDATA[" + body + "]]></" + element_name + ">";
  }
  std::string out;
  out.reserve(cleaned.size() + element.size() + insert_namespace.size());
  out.append(cleaned, 0, root_end);
  out += insert_namespace;
  out += '>';
  out += element;
  out.append(cleaned, root_end + 1);
  return out;
}

Result<BakedBadge> unbake_svg(std::string_view svg) {
  if (svg.size() > kImageMaxBytes) return image_error("image larger than 32 MiB");
  auto found = find_badge_element(svg);
  if (!found.ok()) return found.error();
  const std::optional<SvgElement>& element = found.value();
  if (!element)
    return image_error("the SVG carries no <openbadges:assertion> or <openbadges:credential>");
  std::string text = element_text(element->content);
  if (!trim(text).empty()) return classify(text);
  auto verify = attribute(element->start_tag, "verify");
  if (!verify) return image_error("the openbadges element is empty and has no verify attribute");
  return classify(*verify);
}

}  // namespace

ImageKind image_kind(std::string_view bytes) {
  if (bytes.substr(0, kPngSignature.size()) == kPngSignature) return ImageKind::Png;
  std::string_view head = bytes.substr(0, kSvgSniffBytes);
  std::string_view start = trim(head);
  if (start.substr(0, 3) == "\xEF\xBB\xBF") start.remove_prefix(3);  // UTF-8 byte order mark
  if (!start.empty() && start.front() == '<' && find_svg_root(head) != std::string_view::npos) {
    return ImageKind::Svg;
  }
  return ImageKind::Other;
}

Result<std::string> bake(std::string_view image, std::string_view badge) {
  std::string_view content = trim(badge);
  if (content.empty()) return invalid("assertion", "nothing to bake");
  if (content.size() > kBakedTextMaxBytes) return invalid("assertion", "badge larger than 4 MiB");
  if (!is_utf8(content)) return invalid("assertion", "badge is not UTF-8");
  bool is_jws = content.front() != '{';
  if (is_jws) {
    if (!jws_parse(content).ok())
      return invalid("assertion", "neither a JSON object nor a compact JWS");
  } else {
    auto json = Json::parse(content);
    if (!json.ok() || !json->is_object())
      return invalid("assertion", "the badge is not a JSON object");
  }
  bool ob3 = is_ob3(content, is_jws);
  switch (image_kind(image)) {
    case ImageKind::Png: return bake_png(image, content, ob3);
    case ImageKind::Svg: return bake_svg(image, content, is_jws, ob3);
    case ImageKind::Other: break;
  }
  return image_error("only PNG and SVG images can be baked");
}

Result<BakedBadge> unbake(std::string_view image) {
  switch (image_kind(image)) {
    case ImageKind::Png: {
      auto chunks = read_png(image);
      if (!chunks.ok()) return chunks.error();
      for (const Chunk& chunk : chunks.value()) {
        if (!is_badge_chunk(chunk)) continue;
        auto text = chunk_text(chunk);
        if (!text.ok()) return text.error();
        return classify(text.value());
      }
      return image_error("the PNG carries no openbadges chunk");
    }
    case ImageKind::Svg: return unbake_svg(image);
    case ImageKind::Other: break;
  }
  return image_error("not a PNG or SVG image");
}

}  // namespace laurel
