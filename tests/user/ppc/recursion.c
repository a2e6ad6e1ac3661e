/* Deep recursion (stack growth), function pointers, switch tables. */
#include <stdio.h>
static unsigned long ack(unsigned long m, unsigned long n) {
    return m == 0 ? n + 1 : n == 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1));
}
static int f0(int x) {
    return x + 1;
}
static int f1(int x) {
    return x * 3;
}
static int f2(int x) {
    return x ^ 0x55;
}
int main(void) {
    int (*fs[])(int) = {f0, f1, f2};
    int v = 1;
    for (int i = 0; i < 30; i++) {
        switch (i % 5) {
        case 0:
            v = fs[i % 3](v);
            break;
        case 1:
            v -= i;
            break;
        case 2:
            v = fs[(i + 1) % 3](v) & 0xffff;
            break;
        case 3:
            v <<= 1;
            break;
        default:
            v %= 1000;
            break;
        }
    }
    printf("ack(2,300)=%lu ack(3,6)=%lu v=%d\n", ack(2, 300), ack(3, 6), v);
    return 0;
}
