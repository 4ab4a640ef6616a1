// The C++ real program of tests/real_programs.rs: HarfBuzz 8.4 (the sources bundled in the
// harfbuzz-sys crate, compiled as its two unity files harfbuzz.cc and harfbuzz-subset.cc) driven
// by this file. It shapes each line of its stdin with one of two fonts that HarfBuzz ships for
// its benchmarks (Roboto for Latin, Greek and Cyrillic; Amiri for Arabic), both compiled into
// the program with #embed, prints the shaped glyphs, counts glyph names across all lines,
// subsets Roboto to the characters used and shapes again with the subset.
//
// It is written to give the linker what C++ gives it: thousands of COMDAT template instances
// and weak inline functions from HarfBuzz, libc++ (strings, containers, algorithms,
// std::function, iostreams with their static initialisers) and libc++abi, a static object with
// a constructor, and a large read-only data segment.
//
// Input lines: `FONT|FEATURES|TEXT`, FONT is `roboto` or `amiri`, FEATURES a comma-separated
// list in HarfBuzz's syntax (may be empty). Output is deterministic.
#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

static const unsigned char roboto_data[] = {
#embed "Roboto-Regular.ttf"
};
static const unsigned char amiri_data[] = {
#embed "Amiri-Regular.ttf"
};

namespace {

// One font, made once from its embedded bytes.
class Font {
public:
  Font(const unsigned char *data, unsigned size) {
    hb_blob_t *blob = hb_blob_create(reinterpret_cast<const char *>(data), size,
                                     HB_MEMORY_MODE_READONLY, nullptr, nullptr);
    face_ = hb_face_create(blob, 0);
    hb_blob_destroy(blob);
    font_ = hb_font_create(face_);
  }
  explicit Font(hb_face_t *face) : face_(face), font_(hb_font_create(face)) {}
  Font(const Font &) = delete;
  Font &operator=(const Font &) = delete;
  ~Font() {
    hb_font_destroy(font_);
    hb_face_destroy(face_);
  }
  hb_font_t *get() const { return font_; }
  hb_face_t *face() const { return face_; }

private:
  hb_face_t *face_;
  hb_font_t *font_;
};

struct Glyph {
  std::string name;
  unsigned cluster;
  int advance;
  int offset_x;
  int offset_y;
};

// Constructed before main by __wasm_call_ctors.
const std::map<std::string, const char *> script_names = {
    {"Arab", "Arabic"}, {"Cyrl", "Cyrillic"}, {"Grek", "Greek"}, {"Latn", "Latin"}};

std::vector<hb_feature_t> parse_features(const std::string &list) {
  std::vector<hb_feature_t> features;
  std::stringstream stream(list);
  std::string item;
  while (std::getline(stream, item, ',')) {
    hb_feature_t feature;
    if (!item.empty() && hb_feature_from_string(item.c_str(), -1, &feature))
      features.push_back(feature);
  }
  return features;
}

std::vector<Glyph> shape(const Font &font, const std::string &text,
                         const std::vector<hb_feature_t> &features, std::string *script) {
  hb_buffer_t *buffer = hb_buffer_create();
  hb_buffer_add_utf8(buffer, text.data(), static_cast<int>(text.size()), 0, -1);
  hb_buffer_guess_segment_properties(buffer);
  char tag[5] = {0};
  hb_tag_to_string(hb_script_to_iso15924_tag(hb_buffer_get_script(buffer)), tag);
  *script = tag;
  hb_shape(font.get(), buffer, features.data(), static_cast<unsigned>(features.size()));
  unsigned count = 0;
  const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buffer, &count);
  const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buffer, &count);
  std::vector<Glyph> glyphs;
  glyphs.reserve(count);
  for (unsigned i = 0; i < count; i++) {
    char name[64];
    hb_font_glyph_to_string(font.get(), info[i].codepoint, name, sizeof name);
    glyphs.push_back(Glyph{name, info[i].cluster, pos[i].x_advance, pos[i].x_offset,
                           pos[i].y_offset});
  }
  hb_buffer_destroy(buffer);
  return glyphs;
}

std::string describe(const std::vector<Glyph> &glyphs) {
  std::ostringstream out;
  for (size_t i = 0; i < glyphs.size(); i++) {
    const Glyph &g = glyphs[i];
    out << (i ? "|" : "") << g.name << "=" << g.cluster << "+" << g.advance;
    if (g.offset_x || g.offset_y)
      out << "@" << g.offset_x << "," << g.offset_y;
  }
  return out.str();
}

int total_advance(const std::vector<Glyph> &glyphs) {
  int total = 0;
  for (const Glyph &g : glyphs)
    total += g.advance;
  return total;
}

// FNV-1a, to print the subset font's bytes as one number.
uint32_t fnv1a(const char *data, unsigned length) {
  uint32_t hash = 2166136261u;
  for (unsigned i = 0; i < length; i++)
    hash = (hash ^ static_cast<unsigned char>(data[i])) * 16777619u;
  return hash;
}

std::string read_all(FILE *file) {
  std::string text;
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, file)) > 0)
    text.append(chunk, n);
  return text;
}

// Splits `line` at its first two '|'.
bool split_line(const std::string &line, std::string *font, std::string *features,
                std::string *text) {
  size_t first = line.find('|');
  size_t second = first == std::string::npos ? first : line.find('|', first + 1);
  if (second == std::string::npos)
    return false;
  *font = line.substr(0, first);
  *features = line.substr(first + 1, second - first - 1);
  *text = line.substr(second + 1);
  return true;
}

// Subsets `font` to the characters of `texts`; returns its size, hash and glyph count.
hb_face_t *subset(const Font &font, const std::vector<std::string> &texts) {
  std::set<hb_codepoint_t> codepoints;
  for (const std::string &text : texts) {
    hb_buffer_t *buffer = hb_buffer_create();
    hb_buffer_add_utf8(buffer, text.data(), static_cast<int>(text.size()), 0, -1);
    unsigned count = 0;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buffer, &count);
    for (unsigned i = 0; i < count; i++)
      codepoints.insert(info[i].codepoint);
    hb_buffer_destroy(buffer);
  }
  hb_subset_input_t *input = hb_subset_input_create_or_fail();
  hb_set_t *unicodes = hb_subset_input_unicode_set(input);
  for (hb_codepoint_t c : codepoints)
    hb_set_add(unicodes, c);
  hb_face_t *result = hb_subset_or_fail(font.face(), input);
  hb_subset_input_destroy(input);
  std::printf("subset: %zu characters", codepoints.size());
  return result;
}

} // namespace

int main() {
  Font roboto(roboto_data, sizeof roboto_data);
  Font amiri(amiri_data, sizeof amiri_data);
  const std::unordered_map<std::string, const Font *> fonts = {{"roboto", &roboto},
                                                               {"amiri", &amiri}};
  std::string input = read_all(stdin);
  std::stringstream lines(input);
  std::string line;
  std::map<std::string, unsigned> name_counts;
  std::vector<std::string> roboto_texts;
  std::vector<std::pair<std::string, int>> roboto_widths;
  unsigned shaped = 0;
  std::function<void(const std::string &)> complain = [](const std::string &what) {
    std::printf("bad line: %s\n", what.c_str());
  };
  while (std::getline(lines, line)) {
    std::string font_name, features, text;
    if (line.empty() || line[0] == '#')
      continue;
    if (!split_line(line, &font_name, &features, &text)) {
      complain(line);
      continue;
    }
    auto font = fonts.find(font_name);
    if (font == fonts.end()) {
      complain(font_name);
      continue;
    }
    std::string script;
    std::vector<Glyph> glyphs = shape(*font->second, text, parse_features(features), &script);
    auto known = script_names.find(script);
    std::printf("%s %s [%s] %zu glyphs, advance %d\n  %s\n", font_name.c_str(),
                known == script_names.end() ? script.c_str() : known->second,
                features.c_str(), glyphs.size(), total_advance(glyphs),
                describe(glyphs).c_str());
    for (const Glyph &g : glyphs)
      name_counts[g.name]++;
    if (font_name == "roboto" && features.empty()) {
      roboto_texts.push_back(text);
      roboto_widths.emplace_back(text, total_advance(glyphs));
    }
    shaped++;
  }

  std::vector<std::pair<std::string, unsigned>> common(name_counts.begin(), name_counts.end());
  std::stable_sort(common.begin(), common.end(),
                   [](const auto &a, const auto &b) { return a.second > b.second; });
  common.resize(std::min<size_t>(common.size(), 12));
  std::printf("%u lines, %zu distinct glyphs; most used:", shaped, name_counts.size());
  for (const auto &[name, count] : common)
    std::printf(" %s:%u", name.c_str(), count);
  std::printf("\n");

  hb_face_t *subset_face = subset(roboto, roboto_texts);
  if (!subset_face) {
    std::printf(", subsetting failed\n");
    return 1;
  }
  hb_blob_t *blob = hb_face_reference_blob(subset_face);
  unsigned length = 0;
  const char *bytes = hb_blob_get_data(blob, &length);
  std::printf(", %u glyphs, %u bytes, fnv1a %08x\n", hb_face_get_glyph_count(subset_face),
              length, fnv1a(bytes, length));
  hb_blob_destroy(blob);
  Font small(subset_face);
  unsigned agree = 0;
  for (const auto &[text, width] : roboto_widths) {
    std::string script;
    if (total_advance(shape(small, text, {}, &script)) == width)
      agree++;
  }
  std::printf("subset shapes %u of %zu lines to the same width\n", agree, roboto_widths.size());
  return agree == roboto_widths.size() ? 0 : 2;
}
