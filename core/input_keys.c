/* Names of the keys the input hub carries: USB HID usage IDs of the keyboard/keypad page
 * (0x07), the host-independent key numbering (SDL's scancodes use the same numbers). Key maps
 * (config/keymaps/NAME.ini) and input logs name keys this way. Source: USB HID Usage Tables 1.12,
 * section 10 (Keyboard/Keypad Page). */
#include "core/input.h"

#include <strings.h>

static const struct {
    uint16_t code;
    const char *name;
} keys[] = {
    {0x04, "A"},           {0x05, "B"},           {0x06, "C"},
    {0x07, "D"},           {0x08, "E"},           {0x09, "F"},
    {0x0a, "G"},           {0x0b, "H"},           {0x0c, "I"},
    {0x0d, "J"},           {0x0e, "K"},           {0x0f, "L"},
    {0x10, "M"},           {0x11, "N"},           {0x12, "O"},
    {0x13, "P"},           {0x14, "Q"},           {0x15, "R"},
    {0x16, "S"},           {0x17, "T"},           {0x18, "U"},
    {0x19, "V"},           {0x1a, "W"},           {0x1b, "X"},
    {0x1c, "Y"},           {0x1d, "Z"},           {0x1e, "1"},
    {0x1f, "2"},           {0x20, "3"},           {0x21, "4"},
    {0x22, "5"},           {0x23, "6"},           {0x24, "7"},
    {0x25, "8"},           {0x26, "9"},           {0x27, "0"},
    {0x28, "Return"},      {0x29, "Escape"},      {0x2a, "Backspace"},
    {0x2b, "Tab"},         {0x2c, "Space"},       {0x2d, "Minus"},
    {0x2e, "Equals"},      {0x2f, "LeftBracket"}, {0x30, "RightBracket"},
    {0x31, "Backslash"},   {0x33, "Semicolon"},   {0x34, "Apostrophe"},
    {0x35, "Grave"},       {0x36, "Comma"},       {0x37, "Period"},
    {0x38, "Slash"},       {0x39, "CapsLock"},    {0x3a, "F1"},
    {0x3b, "F2"},          {0x3c, "F3"},          {0x3d, "F4"},
    {0x3e, "F5"},          {0x3f, "F6"},          {0x40, "F7"},
    {0x41, "F8"},          {0x42, "F9"},          {0x43, "F10"},
    {0x44, "F11"},         {0x45, "F12"},         {0x46, "PrintScreen"},
    {0x47, "ScrollLock"},  {0x48, "Pause"},       {0x49, "Insert"},
    {0x4a, "Home"},        {0x4b, "PageUp"},      {0x4c, "Delete"},
    {0x4d, "End"},         {0x4e, "PageDown"},    {0x4f, "Right"},
    {0x50, "Left"},        {0x51, "Down"},        {0x52, "Up"},
    {0x53, "NumLock"},     {0x54, "KP_Divide"},   {0x55, "KP_Multiply"},
    {0x56, "KP_Minus"},    {0x57, "KP_Plus"},     {0x58, "KP_Enter"},
    {0x59, "KP_1"},        {0x5a, "KP_2"},        {0x5b, "KP_3"},
    {0x5c, "KP_4"},        {0x5d, "KP_5"},        {0x5e, "KP_6"},
    {0x5f, "KP_7"},        {0x60, "KP_8"},        {0x61, "KP_9"},
    {0x62, "KP_0"},        {0x63, "KP_Period"},   {0x64, "NonUSBackslash"},
    {0x65, "Application"}, {0xe0, "LeftCtrl"},    {0xe1, "LeftShift"},
    {0xe2, "LeftAlt"},     {0xe3, "LeftGUI"},     {0xe4, "RightCtrl"},
    {0xe5, "RightShift"},  {0xe6, "RightAlt"},    {0xe7, "RightGUI"},
};

uint16_t vt_input_key_code(const char *name) {
    for (size_t i = 0; i < VT_ARRAY_LEN(keys); i++)
        if (!strcasecmp(keys[i].name, name)) return keys[i].code;
    return 0;
}

const char *vt_input_key_name(uint16_t code) {
    for (size_t i = 0; i < VT_ARRAY_LEN(keys); i++)
        if (keys[i].code == code) return keys[i].name;
    return NULL;
}
