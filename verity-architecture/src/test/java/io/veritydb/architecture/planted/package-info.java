/**
 * Planted violations: small classes that each break one architecture rule on purpose, so that a
 * test can show the rule fires (and a few clean ones that show it does not fire on allowed code).
 * They are test classes, so the real checks, which import main classes only, never see them.
 */
package io.veritydb.architecture.planted;
