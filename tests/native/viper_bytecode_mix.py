# viper called from bytecode and calling bytecode and native functions
import micropython


def py_double(x):
    return x * 2


@micropython.native
def nat_inc(x):
    return x + 1


@micropython.viper
def v(x: int) -> int:
    return int(py_double(x)) + int(nat_inc(x))


print(v(5), [v(i) for i in range(4)])


class K:
    @micropython.viper
    def m(self, x: int) -> int:
        return x + int(self.base)

    base = 100


print(K().m(5))
