print('{} {}'.format(1, 'a'), '{1}{0}'.format('x', 'y'), '{a}-{b}'.format(a=1, b=2), '{{}} {}'.format(3))
print('[{:5}]'.format(42), '[{:<5}]'.format(42), '[{:^6}]'.format(42), '[{:>5}]'.format('ab'), '[{:*^7}]'.format('mid'))
print('[{:05}]'.format(-42), '[{:+d}]'.format(5), '[{: d}]'.format(5), '[{:=+6}]'.format(5), '[{:-d}]'.format(-5))
print('{:b} {:o} {:x} {:X} {:#x} {:#o} {:#b} {:c}'.format(10, 10, 255, 255, 255, 8, 5, 65))
print('{:d} {:s} {!r} {!s} {:r}'.format(7, 'str', 'q', 'q', 'x') if False else '{:d} {:s} {!r} {!s}'.format(7, 'str', 'q', 'q'))
print('{:.2} {:.3s} [{:10.2}]'.format('abcdef', 'abcdef', 'xyz'))
try:
    '{0[1]}'.format([5, 6])
except NotImplementedError as e:
    print('NotImplementedError', e)
print('{:{}}|'.format('a', 4), '{:>{w}}|'.format('b', w=3))
print('{:,}'.format(1234567) if False else 'skip')
print('%s %d %r' % ('a', 5, 'b'), '%5d|%-5d|%05d' % (1, 2, 3), '%x %X %o %c %c' % (255, 255, 8, 65, 'z'))
print('%s' % 'one', '%d%%' % 50, '%(a)s %(b)d' % {'a': 'x', 'b': 2}, '%.3s' % 'abcdef', '%*d' % (4, 7))
print('%+d % d %5s %-5s|' % (3, 3, 'ab', 'cd'), '%#x %#o' % (255, 8))
print('{}'.format([1, 'a']), '{!r}'.format('x'), '{:>8}'.format(str((1, 2))))
for bad in ['{', '}', '{0!x}', '{:zz}']:
    try:
        bad.format(1)
    except ValueError as e:
        print('ValueError', e)
try:
    '{}{}'.format(1)
except IndexError as e:
    print('IndexError', e)
try:
    '{0}{}'.format(1, 2)
except ValueError as e:
    print('ValueError', e)
try:
    '%d %d' % (1,)
except TypeError as e:
    print('TypeError', e)
try:
    '%d' % (1, 2)
except TypeError as e:
    print('TypeError', e)
try:
    '{:d}'.format('a')
except ValueError as e:
    print('ValueError', e)
try:
    '%d' % 'a'
except TypeError as e:
    print('TypeError', e)
print('%5s|%-6r|%3c|%-3c|' % ('a', 'b', 'x', 65), '%.2d|%5.3d|%-05d|%+05d' % (5, 7, 3, 9), '%#X' % 255)
print('{:<+5d}|{:^+7}|{: >4}|{:x<4}|'.format(3, -2, 'a', 7), '{:08b}'.format(5), '{:#010x}'.format(255))
print('{!r:>6}|{!s:4}|'.format('a', 1), '{:s}'.format('q'), '{:^5s}|'.format('ab'), '{:5}|'.format(True), '{}'.format(None))
print('{0}{0}{1}'.format('a', 'b'), '{x}{y}{x}'.format(x=1, y=2), '{:{w}.{p}}|'.format('abcdef', w=5, p=2))
print('%s %s' % (None, (1,)), '%s' % ((1, 2),), '%r' % ({'a': 1},), '%s' % {'k': 1}, '%%s' % ())
bads = [lambda: '%z' % 1, lambda: '%(x)s' % 1, lambda: '%' % 1, lambda: '%c' % 'ab', lambda: '%c' % [],
        lambda: '{:+s}'.format('a'), lambda: '{:=5}'.format('a'), lambda: '{:c}'.format('a'), lambda: '{!'.format(1),
        lambda: '{:5'.format(1), lambda: '{a'.format(a=1), lambda: '{b}'.format(a=1)]
for bad in bads:
    try:
        print(bad())
    except Exception as e:
        print(type(e).__name__, e)
