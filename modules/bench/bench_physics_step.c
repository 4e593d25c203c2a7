/*
 * Benchmark workload "physics_step": velocity Verlet for 64 particles with
 * softened pairwise attraction (O(n^2) forces with a sqrt each). See
 * bench_fibonacci.c for the three entry points.
 */
#include <fluid/module.h>

#define PARTICLES 64

struct system {
    double x[PARTICLES], y[PARTICLES], z[PARTICLES];
    double vx[PARTICLES], vy[PARTICLES], vz[PARTICLES];
    double ax[PARTICLES], ay[PARTICLES], az[PARTICLES];
    double mass[PARTICLES];
    int count;
    double gravity; /* a uniform field along -z */
};

static struct system world;

static void forces(struct system* s)
{
    for (int i = 0; i < s->count; ++i) {
        s->ax[i] = 0;
        s->ay[i] = 0;
        s->az[i] = -s->gravity;
    }
    for (int i = 0; i < s->count; ++i)
        for (int j = i + 1; j < s->count; ++j) {
            double dx = s->x[j] - s->x[i], dy = s->y[j] - s->y[i], dz = s->z[j] - s->z[i];
            double r2 = dx * dx + dy * dy + dz * dz + 0.01; /* softening */
            double inverse = 1.0 / (r2 * sqrt(r2));
            /* Equal and opposite, so momentum is conserved. */
            double fi = s->mass[j] * inverse, fj = s->mass[i] * inverse;
            s->ax[i] += dx * fi; s->ay[i] += dy * fi; s->az[i] += dz * fi;
            s->ax[j] -= dx * fj; s->ay[j] -= dy * fj; s->az[j] -= dz * fj;
        }
}

static void verlet_step(struct system* s, double dt)
{
    for (int i = 0; i < s->count; ++i) {
        s->vx[i] += 0.5 * dt * s->ax[i]; s->vy[i] += 0.5 * dt * s->ay[i]; s->vz[i] += 0.5 * dt * s->az[i];
        s->x[i] += dt * s->vx[i]; s->y[i] += dt * s->vy[i]; s->z[i] += dt * s->vz[i];
    }
    forces(s);
    for (int i = 0; i < s->count; ++i) {
        s->vx[i] += 0.5 * dt * s->ax[i]; s->vy[i] += 0.5 * dt * s->ay[i]; s->vz[i] += 0.5 * dt * s->az[i];
    }
}

static void init_cloud(struct system* s, int count, double gravity)
{
    uint64_t state = 2024;
    s->count = count;
    s->gravity = gravity;
    for (int i = 0; i < count; ++i) {
        double v[7];
        for (int k = 0; k < 7; ++k) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            v[k] = (double)((state >> 33) % 2001) / 1000.0 - 1.0;
        }
        s->x[i] = 4 * v[0]; s->y[i] = 4 * v[1]; s->z[i] = 4 * v[2];
        s->vx[i] = 0.1 * v[3]; s->vy[i] = 0.1 * v[4]; s->vz[i] = 0.1 * v[5];
        s->mass[i] = 1.5 + v[6];
    }
    forces(s);
}

static double absolute(double x)
{
    return x < 0 ? -x : x;
}

/* n Verlet steps of the 64-particle cloud; returns its quantised centre. */
int64_t bench_physics_step_run(int64_t n)
{
    if (n < 0 || n > 100000)
        return -1;
    init_cloud(&world, PARTICLES, 0);
    for (int64_t step = 0; step < n; ++step)
        verlet_step(&world, 0.01);
    double cx = 0, cy = 0, cz = 0, spread = 0;
    for (int i = 0; i < PARTICLES; ++i) {
        cx += world.x[i]; cy += world.y[i]; cz += world.z[i];
        spread += absolute(world.x[i]) + absolute(world.y[i]) + absolute(world.z[i]);
    }
    /* Coarse quantisation: FMA contraction differs between tiers. */
    return (int64_t)(cx * 64) + 7 * (int64_t)(cy * 64) + 49 * (int64_t)(cz * 64) + 343 * (int64_t)(spread * 16);
}

int64_t bench_physics_step_check(void)
{
    /* One particle in a uniform field: Verlet is exact for constant
     * acceleration, z(t) = z0 + v0 t - g t^2 / 2. */
    init_cloud(&world, 1, 9.81);
    double z0 = world.z[0], v0 = world.vz[0], dt = 0.01;
    for (int step = 0; step < 100; ++step)
        verlet_step(&world, dt);
    double t = 100 * dt;
    if (absolute(world.z[0] - (z0 + v0 * t - 0.5 * 9.81 * t * t)) > 1e-9)
        return 0;
    /* The cloud without a field: total momentum stays what it was. */
    init_cloud(&world, PARTICLES, 0);
    double p0[3] = { 0, 0, 0 }, p1[3] = { 0, 0, 0 };
    for (int i = 0; i < PARTICLES; ++i) {
        p0[0] += world.mass[i] * world.vx[i]; p0[1] += world.mass[i] * world.vy[i]; p0[2] += world.mass[i] * world.vz[i];
    }
    for (int step = 0; step < 20; ++step)
        verlet_step(&world, 0.01);
    for (int i = 0; i < PARTICLES; ++i) {
        p1[0] += world.mass[i] * world.vx[i]; p1[1] += world.mass[i] * world.vy[i]; p1[2] += world.mass[i] * world.vz[i];
    }
    for (int k = 0; k < 3; ++k)
        if (absolute(p1[k] - p0[k]) > 1e-9)
            return 0;
    /* The particles attract: after a while they have moved. */
    return absolute(world.x[0] - 0) > 0 && world.count == PARTICLES;
}

int64_t bench_physics_step_default_n(void)
{
    return 10;
}
