package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.recurra.api.cell.RnnCell;
import org.junit.jupiter.api.Test;

class WorkspacePoolTest {

    @Test
    void oneOffShapesDoNotCrowdOutTheShapeInUse() {
        Kernel[][] k = {{new RnnKernel(0, 0, 2, RnnCell.of(3))}};
        int[] created = {0};
        WorkspacePool pool = new WorkspacePool((b, t) -> {
            created[0]++;
            return new NetWorkspace(k, new boolean[][] {{false}}, new int[] {3}, b, t, 0, false, false);
        }, 3);
        for (int t = 1; t <= 10; t++) {
            pool.release(pool.borrow(4, t));
        }
        assertEquals(3, pool.idleCount());
        NetWorkspace hot = pool.borrow(128, 28);
        pool.release(hot);
        int before = created[0];
        for (int i = 0; i < 100; i++) {
            NetWorkspace w = pool.borrow(128, 28);
            assertSame(hot, w);
            pool.release(w);
        }
        assertEquals(before, created[0], "the shape in use is reused, not reallocated");
        assertEquals(3, pool.idleCount());
        NetWorkspace a = pool.borrow(128, 28);
        NetWorkspace b = pool.borrow(128, 28);
        assertNotSame(a, b, "a workspace is never handed to two borrowers");
    }
}
